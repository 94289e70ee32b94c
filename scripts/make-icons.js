/* global require, process, __dirname, console, Buffer */
/**
 * `node scripts/make-icons.js`: draws the add-in icon (a GPU chip in Office blue on a transparent
 * background) and writes assets/icon-16.png, -32, -64 and -80. No dependencies: the shapes are
 * sampled on a grid (8 × 8 samples per pixel for smooth edges) and the PNG is written with zlib.
 * The drawing is laid out on a 16-unit grid so that the 16 px icon has crisp edges and the larger
 * sizes are exact multiples of it. The output is deterministic; rerun after changing the drawing.
 */
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

const SIZES_PX = [16, 32, 64, 80];
const GRID_UNITS = 16;
const SAMPLES_PER_AXIS = 8;

const OFFICE_BLUE = [0x00, 0x78, 0xd4, 255];
const WHITE = [0xff, 0xff, 0xff, 255];
const TRANSPARENT = [0, 0, 0, 0];

/** Pin positions (left edge, one unit wide) along each side of the chip, symmetric about 8. */
const PIN_STARTS = [4, 6, 9, 11];

function insideRoundedRect(x, y, left, top, right, bottom, radius) {
  if (x < left || x >= right || y < top || y >= bottom) return false;
  const cx = Math.min(Math.max(x, left + radius), right - radius);
  const cy = Math.min(Math.max(y, top + radius), bottom - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

function insidePin(x, y) {
  for (const start of PIN_STARTS) {
    const along = (v) => v >= start && v < start + 1;
    if (along(x) && ((y >= 1 && y < 2) || (y >= 14 && y < 15))) return true;
    if (along(y) && ((x >= 1 && x < 2) || (x >= 14 && x < 15))) return true;
  }
  return false;
}

/** The colour of the drawing at grid point (x, y), top shapes first. */
function colourAt(x, y) {
  if (insideRoundedRect(x, y, 6, 6, 10, 10, 0.5)) return OFFICE_BLUE;
  if (insideRoundedRect(x, y, 4, 4, 12, 12, 0.75)) return WHITE;
  if (insideRoundedRect(x, y, 2, 2, 14, 14, 1.25)) return OFFICE_BLUE;
  if (insidePin(x, y)) return OFFICE_BLUE;
  return TRANSPARENT;
}

/** RGBA pixels (straight alpha), averaging premultiplied samples. */
function renderIcon(sizePx) {
  const pixels = Buffer.alloc(sizePx * sizePx * 4);
  const unitsPerPx = GRID_UNITS / sizePx;
  const samples = SAMPLES_PER_AXIS * SAMPLES_PER_AXIS;
  for (let py = 0; py < sizePx; py++) {
    for (let px = 0; px < sizePx; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SAMPLES_PER_AXIS; sy++) {
        for (let sx = 0; sx < SAMPLES_PER_AXIS; sx++) {
          const x = (px + (sx + 0.5) / SAMPLES_PER_AXIS) * unitsPerPx;
          const y = (py + (sy + 0.5) / SAMPLES_PER_AXIS) * unitsPerPx;
          const [cr, cg, cb, ca] = colourAt(x, y);
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const offset = (py * sizePx + px) * 4;
      if (a > 0) {
        pixels[offset] = Math.round(r / a);
        pixels[offset + 1] = Math.round(g / a);
        pixels[offset + 2] = Math.round(b / a);
      }
      pixels[offset + 3] = Math.round(a / samples);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** An 8-bit RGBA PNG, one filter byte (0 = none) before each row. */
function encodePng(sizePx, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(sizePx, 0);
  header.writeUInt32BE(sizePx, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: truecolour with alpha
  const rowBytes = sizePx * 4;
  const raw = Buffer.alloc((rowBytes + 1) * sizePx);
  for (let y = 0; y < sizePx; y++) {
    pixels.copy(raw, y * (rowBytes + 1) + 1, y * rowBytes, (y + 1) * rowBytes);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", zlib.deflateSync(raw, { level: 9 })),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

const assetsDir = path.resolve(__dirname, "..", "assets");
fs.mkdirSync(assetsDir, { recursive: true });
for (const sizePx of SIZES_PX) {
  const file = path.join(assetsDir, `icon-${sizePx}.png`);
  fs.writeFileSync(file, encodePng(sizePx, renderIcon(sizePx)));
  console.log(`wrote ${path.relative(process.cwd(), file)} (${sizePx}×${sizePx})`);
}
