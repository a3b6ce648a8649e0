/**
 * The built page carries the same Content-Security-Policy main sends as a header: the renderer is
 * built with the project's own electron-vite config, and its index.html is read back.
 */
import { build, type InlineConfig, type Rollup } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import config from '../../electron.vite.config';
import { CONTENT_SECURITY_POLICY, PAGE_CONTENT_SECURITY_POLICY } from '../../electron/main/security';

async function builtPage(): Promise<string> {
  const renderer = (config as { renderer: InlineConfig }).renderer;
  const output = (await build({
    ...renderer,
    configFile: false,
    mode: 'production',
    logLevel: 'warn',
    build: { ...renderer.build, write: false, reportCompressedSize: false },
  })) as Rollup.RollupOutput;
  const page = output.output.find((file) => file.fileName === 'index.html');
  if (page?.type !== 'asset') throw new Error('The renderer build wrote no index.html.');
  return String(page.source);
}

/** Attribute values as the browser reads them (the build escapes quotes and ampersands). */
function unescapeAttribute(value: string): string {
  const named: Record<string, string> = { amp: '&', quot: '"', lt: '<', gt: '>', apos: "'" };
  return value.replace(/&(#\d+|[a-z]+);/g, (entity, name: string) =>
    name.startsWith('#') ? String.fromCharCode(Number(name.slice(1))) : (named[name] ?? entity),
  );
}

describe('the built page', () => {
  let html = '';
  beforeAll(async () => {
    html = await builtPage();
  });

  it("has one CSP meta tag, before any script, equal to main's header less frame-ancestors", () => {
    const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"\s*\/?>/g)];
    expect(metas).toHaveLength(1);
    const content = unescapeAttribute(metas[0]?.[1] ?? '');
    expect(content).toBe(PAGE_CONTENT_SECURITY_POLICY);
    expect(`${content}; frame-ancestors 'none'`.split('; ').sort()).toEqual(CONTENT_SECURITY_POLICY.split('; ').sort());
    expect(metas[0]?.index).toBeLessThan(html.indexOf('<script'));
  });

  it('has no inline script for the policy to allow', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\.?\/assets\//);
      expect(body?.trim()).toBe('');
    }
  });
});
