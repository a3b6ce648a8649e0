/**
 * The wire names of the two IPC channels. Kept free of imports so the sandboxed preload script
 * can use them without bundling anything else.
 */
export const INVOKE_CHANNEL = 'bulk-cancel:invoke';
export const EVENT_CHANNEL = 'bulk-cancel:event';
