import { crc32, deflateSync } from 'node:zlib';

/**
 * The tray icon, drawn at start-up instead of shipped as a file so that packaging needs no
 * extra assets: a rounded square with a medical cross cut out of it. Only the alpha channel
 * carries the shape, so macOS can use it as a template image (tinted for light/dark menus).
 */
export function trayIconPng(size: number): Buffer {
  const rgba = Buffer.alloc(size * size * 4);
  const samples = 4; // per axis, to anti-alias the rounded corners
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      let covered = 0;
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const u = (x + (sx + 0.5) / samples) / size;
          const v = (y + (sy + 0.5) / samples) / size;
          if (insideRoundedSquare(u, v) && !insideCross(u, v)) {
            covered += 1;
          }
        }
      }
      const offset = (y * size + x) * 4;
      rgba.set([0x0f, 0x76, 0x6e, Math.round((255 * covered) / (samples * samples))], offset);
    }
  }
  return encodePng(size, size, rgba);
}

/** u, v in [0, 1]; corner radius a fifth of the side. */
function insideRoundedSquare(u: number, v: number): boolean {
  const radius = 0.2;
  const dx = Math.max(radius - u, 0, u - (1 - radius));
  const dy = Math.max(radius - v, 0, v - (1 - radius));
  return dx * dx + dy * dy <= radius * radius;
}

function insideCross(u: number, v: number): boolean {
  const arm = (t: number): boolean => t >= 0.2 && t <= 0.8;
  const bar = (t: number): boolean => t >= 0.375 && t <= 0.625;
  return (arm(u) && bar(v)) || (bar(u) && arm(v));
}

/** 8-bit RGBA, no interlace, filter "none" on every row. */
export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let row = 0; row < height; row += 1) {
    rgba.copy(raw, row * (stride + 1) + 1, row * stride, (row + 1) * stride);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth, colour type RGBA, compression, filter, interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}
