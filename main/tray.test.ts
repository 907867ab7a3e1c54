import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FakeElectron, FakeMenu } from './test-support/fake-electron.js';
import { createTray } from './tray.js';
import { trayIconPng } from './tray-icon.js';

interface Chunk {
  type: string;
  data: Buffer;
  crcOk: boolean;
}

function readPng(png: Buffer): { signature: Buffer; chunks: Chunk[] } {
  const chunks: Chunk[] = [];
  let offset = 8;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const typeAndData = png.subarray(offset + 4, offset + 8 + length);
    const crc = png.readUInt32BE(offset + 8 + length);
    chunks.push({ type: typeAndData.subarray(0, 4).toString('ascii'), data: typeAndData.subarray(4), crcOk: crc === crc32(typeAndData) });
    offset += 12 + length;
  }
  return { signature: png.subarray(0, 8), chunks };
}

/** Alpha of pixel (x, y) in an unfiltered RGBA image. */
function alphaAt(pixels: Buffer, size: number, x: number, y: number): number | undefined {
  return pixels[y * (size * 4 + 1) + 1 + x * 4 + 3];
}

describe('tray icon', () => {
  const size = 32;
  const png = trayIconPng(size);
  const { signature, chunks } = readPng(png);

  it('is a well-formed RGBA PNG of the requested size', () => {
    expect(signature).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(chunks.map((chunk) => chunk.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(chunks.every((chunk) => chunk.crcOk)).toBe(true);
    const header = chunks[0]?.data ?? Buffer.alloc(0);
    expect([header.readUInt32BE(0), header.readUInt32BE(4), header[8], header[9]]).toEqual([size, size, 8, 6]);
  });

  it('draws a square with a see-through cross and rounded corners', () => {
    const pixels = inflateSync(chunks[1]?.data ?? Buffer.alloc(0));
    expect(pixels.length).toBe(size * (size * 4 + 1));
    expect(alphaAt(pixels, size, 16, 16)).toBe(0); // centre of the cross
    expect(alphaAt(pixels, size, 3, 16)).toBe(255); // square, left of the cross
    expect(alphaAt(pixels, size, 8, 8)).toBe(255); // square, between the arms
    expect(alphaAt(pixels, size, 0, 0)).toBe(0); // rounded-off corner
  });
});

describe('tray', () => {
  function trayFor(platform: NodeJS.Platform) {
    const electron = new FakeElectron();
    const actions: string[] = [];
    createTray(electron, {
      toolTip: 'InPracSys EHR — https://localhost:8443',
      platform,
      onOpen: () => actions.push('open'),
      onQuit: () => actions.push('quit'),
    });
    const [tray] = electron.trays;
    if (tray === undefined) {
      throw new Error('no tray created');
    }
    return { tray, actions };
  }

  it('offers Open and Quit, each doing its own job', () => {
    const { tray, actions } = trayFor('linux');
    expect(tray.menu).toBeInstanceOf(FakeMenu);
    expect(tray.menu?.template.filter((item) => item.label !== undefined).map((item) => item.label)).toEqual(['Open', 'Quit']);
    tray.menu?.click('Open');
    expect(actions).toEqual(['open']);
    tray.menu?.click('Quit');
    expect(actions).toEqual(['open', 'quit']);
  });

  it('shows the tool tip and a 16-point icon drawn at scale factor 2', () => {
    const { tray } = trayFor('linux');
    expect(tray.toolTip).toBe('InPracSys EHR — https://localhost:8443');
    expect(tray.image.scaleFactor).toBe(2);
    expect(tray.image.buffer.readUInt32BE(16)).toBe(32); // IHDR width
  });

  it('uses a template image on macOS only', () => {
    expect(trayFor('darwin').tray.image.template).toBe(true);
    expect(trayFor('win32').tray.image.template).toBe(false);
    expect(trayFor('linux').tray.image.template).toBe(false);
  });

  it('opens the window on a click on Windows only', () => {
    const win = trayFor('win32');
    win.tray.emit('click');
    expect(win.actions).toEqual(['open']);
    const mac = trayFor('darwin');
    mac.tray.emit('click');
    expect(mac.actions).toEqual([]);
  });
});
