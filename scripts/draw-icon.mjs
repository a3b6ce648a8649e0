// Draws the app icon, build/icon.png (1024×1024; electron-builder derives .ico and .icns from it):
// a parcel on a blue tile, with a red "cancel" badge. Run `node scripts/draw-icon.mjs` after changing it.
import { writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

const SIZE = 1024;
const SAMPLES = 4; // per axis: 16 samples per pixel smooth the edges

/** Signed distance to a rounded rectangle centred on (cx, cy). */
function roundedRect(x, y, cx, cy, halfWidth, halfHeight, radius) {
  const qx = Math.abs(x - cx) - halfWidth + radius;
  const qy = Math.abs(y - cy) - halfHeight + radius;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

/** Signed distance to a segment of the given half thickness. */
function segment(x, y, ax, ay, bx, by, halfThickness) {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - ax - t * (bx - ax), y - ay - t * (by - ay)) - halfThickness;
}

const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
const TILE_TOP = [37, 99, 180];
const TILE_BOTTOM = [20, 58, 120];
const PARCEL = [246, 240, 228];
const TAPE = [214, 190, 150];
const BADGE = [208, 58, 52];
const WHITE = [255, 255, 255];

/** The colour (with alpha) at one point: each layer painted over the ones below. */
function paint(x, y) {
  let color = [0, 0, 0];
  let alpha = 0;
  const layer = (inside, rgb) => {
    if (inside) {
      color = rgb;
      alpha = 1;
    }
  };
  layer(roundedRect(x, y, 512, 512, 448, 448, 200) <= 0, mix(TILE_TOP, TILE_BOTTOM, y / SIZE));
  layer(roundedRect(x, y, 470, 480, 250, 230, 36) <= 0, PARCEL);
  layer(roundedRect(x, y, 470, 480, 46, 230, 0) <= 0, TAPE);
  layer(Math.hypot(x - 712, y - 712) <= 196, mix(TILE_TOP, TILE_BOTTOM, y / SIZE)); // a gap around the badge
  layer(Math.hypot(x - 712, y - 712) <= 170, BADGE);
  const cross = Math.min(segment(x, y, 652, 652, 772, 772, 26), segment(x, y, 772, 652, 652, 772, 26));
  layer(cross <= 0 && Math.hypot(x - 712, y - 712) <= 170, WHITE);
  return [...color, alpha];
}

const rows = [];
for (let py = 0; py < SIZE; py++) {
  const row = Buffer.alloc(1 + SIZE * 4); // filter byte 0, then RGBA
  for (let px = 0; px < SIZE; px++) {
    let [r, g, b, a] = [0, 0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const [cr, cg, cb, ca] = paint(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
        r += cr * ca;
        g += cg * ca;
        b += cb * ca;
        a += ca;
      }
    }
    const at = 1 + px * 4;
    if (a > 0) row.set([Math.round(r / a), Math.round(g / a), Math.round(b / a)], at);
    row[at + 3] = Math.round((a / SAMPLES ** 2) * 255);
  }
  rows.push(row);
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA, deflate, no filter method, no interlace
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../build/icon.png', import.meta.url), png);
console.log(`Wrote build/icon.png (${SIZE}×${SIZE}, ${Math.round(png.length / 1024)} KiB)`);
