import { writeFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { makeTempDir } from './temp.js';
import { requireCommand } from './system.js';

export interface RenderedPage {
  /** The DOM after load (`document.documentElement.outerHTML`). */
  dom: string;
  /** Every request the page made, its own document included (Network.requestWillBeSent of the page's target). */
  requests: string[];
  /** Browser console messages and page errors. */
  console: string[];
}

interface Message {
  id?: number;
  method?: string;
  sessionId?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
}

/**
 * The DevTools protocol over `--remote-debugging-pipe`: Chromium reads commands on fd 3 and writes on fd 4, each
 * message a JSON text ended by a NUL byte. Only the page's own target is watched, so Chromium's background traffic
 * (component updates, time queries) is not mistaken for the page's.
 */
class DevTools {
  private nextId = 1;
  private buffer = '';
  private readonly pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  private readonly listeners: Array<(m: Message) => void> = [];

  constructor(
    private readonly input: Writable,
    output: Readable,
  ) {
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\0')) !== -1) {
        const message = JSON.parse(this.buffer.slice(0, end)) as Message;
        this.buffer = this.buffer.slice(end + 1);
        const waiting = message.id === undefined ? undefined : this.pending.get(message.id);
        if (waiting !== undefined) {
          this.pending.delete(message.id!);
          if (message.error) waiting.reject(new Error(message.error.message));
          else waiting.resolve(message);
        } else for (const listener of this.listeners) listener(message);
      }
    });
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    this.input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    return new Promise((resolve, reject) => this.pending.set(id, { resolve: (m) => resolve(m.result ?? {}), reject }));
  }

  on(listener: (m: Message) => void): void {
    this.listeners.push(listener);
  }

  waitFor(method: string, sessionId: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method} within ${timeoutMs} ms`)), timeoutMs);
      this.on((m) => {
        if (m.method === method && m.sessionId === sessionId) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }
}

/**
 * Opens a local HTML file in headless Chromium (Debian's `chromium`) at `width` px, returns the DOM after load, the
 * page's requests and console; with `screenshot`, also writes a PNG of the whole page.
 */
export async function renderInChromium(
  file: string,
  options: { screenshot?: string; width?: number } = {},
): Promise<RenderedPage> {
  const chromium = requireCommand('chromium');
  const profile = makeTempDir('leap-chromium-');
  const child = execa(
    chromium,
    [
      '--headless',
      '--no-sandbox', // CI runs as root
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      `--user-data-dir=${profile}`,
      '--remote-debugging-pipe',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], reject: false, timeout: 120_000 },
  );
  const stdio = child.stdio as unknown as [unknown, unknown, Readable, Writable, Readable];
  const devtools = new DevTools(stdio[3], stdio[4]);
  const requests: string[] = [];
  const console: string[] = [];
  try {
    const { targetId } = await devtools.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = (await devtools.send('Target.attachToTarget', { targetId, flatten: true })) as {
      sessionId: string;
    };
    devtools.on((m) => {
      if (m.sessionId !== sessionId) return;
      if (m.method === 'Network.requestWillBeSent')
        requests.push(String((m.params?.request as { url: string } | undefined)?.url));
      if (m.method === 'Runtime.consoleAPICalled' || m.method === 'Runtime.exceptionThrown')
        console.push(JSON.stringify(m.params));
    });
    for (const domain of ['Network', 'Page', 'Runtime']) await devtools.send(`${domain}.enable`, {}, sessionId);
    const width = options.width ?? 1280;
    await devtools.send(
      'Emulation.setDeviceMetricsOverride',
      { width, height: 900, deviceScaleFactor: 1, mobile: false },
      sessionId,
    );
    const loaded = devtools.waitFor('Page.loadEventFired', sessionId, 60_000);
    await devtools.send('Page.navigate', { url: pathToFileURL(file).href }, sessionId);
    await loaded;
    const { result } = (await devtools.send(
      'Runtime.evaluate',
      { expression: 'document.documentElement.outerHTML', returnByValue: true },
      sessionId,
    )) as { result: { value: string } };
    if (options.screenshot !== undefined) {
      const { cssContentSize } = (await devtools.send('Page.getLayoutMetrics', {}, sessionId)) as {
        cssContentSize: { height: number };
      };
      const height = Math.ceil(cssContentSize.height);
      await devtools.send(
        'Emulation.setDeviceMetricsOverride',
        { width, height, deviceScaleFactor: 1, mobile: false },
        sessionId,
      );
      const { data } = (await devtools.send('Page.captureScreenshot', { format: 'png' }, sessionId)) as {
        data: string;
      };
      writeFileSync(options.screenshot, Buffer.from(data, 'base64'));
    }
    return { dom: result.value, requests, console };
  } finally {
    await devtools.send('Browser.close').catch(() => undefined);
    await child;
    await execa('rm', ['-rf', profile]);
  }
}
