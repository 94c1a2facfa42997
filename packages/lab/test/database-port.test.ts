import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startOnFreePort } from '../src/database.js';
import { Seeded } from '../src/seed.js';

describe('startOnFreePort', () => {
  it('moves on to another port when the one found free is taken before the server binds it', async () => {
    const tried: number[] = [];
    const started = await startOnFreePort(new Seeded('leap-lab'), async (port) => {
      tried.push(port);
      return tried.length === 1 ? 'port-taken' : `bound ${port}`;
    });
    expect(tried).toHaveLength(2);
    expect(tried[1]).not.toBe(tried[0]);
    expect(started).toBe(`bound ${tried[1]}`);
  });

  it("skips the seed's port when another process holds it", async () => {
    const seeded = new Seeded('leap-lab');
    const preferred = await startOnFreePort(seeded, async (port) => port);
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(preferred, '127.0.0.1', resolve));
    try {
      expect(await startOnFreePort(seeded, async (port) => port)).not.toBe(preferred);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('gives up after a few ports, naming them', async () => {
    await expect(startOnFreePort(new Seeded('leap-lab'), async () => 'port-taken' as const, 3)).rejects.toMatchObject({
      code: 'LEAP_LAB_DATABASE',
    });
  });
});
