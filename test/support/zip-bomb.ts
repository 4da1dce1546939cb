/**
 * Builds a DOCX-shaped zip bomb on disk: a word/document.xml entry that inflates to `inflatedBytes` of zeros from a
 * few megabytes. Streamed, so building it never holds the inflated data in memory.
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { createDeflateRaw } from "node:zlib";

interface Entry {
  name: string;
  compressed: Buffer;
  uncompressedSize: number;
  offset: number;
}

async function deflateZeros(totalBytes: number): Promise<Buffer> {
  const deflate = createDeflateRaw({ level: 1 });
  const parts: Buffer[] = [];
  deflate.on("data", (part: Buffer) => parts.push(part));
  const block = Buffer.alloc(8 * 1024 * 1024);
  for (let written = 0; written < totalBytes; written += block.length) {
    const slice = totalBytes - written < block.length ? block.subarray(0, totalBytes - written) : block;
    if (!deflate.write(slice)) await once(deflate, "drain");
  }
  deflate.end();
  await once(deflate, "end");
  return Buffer.concat(parts);
}

function localHeader(entry: Entry): Buffer {
  const name = Buffer.from(entry.name, "utf8");
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(0, 6);
  header.writeUInt16LE(8, 8); // deflate
  header.writeUInt32LE(0, 14); // CRC left at 0: the reader must stop long before it could check it
  header.writeUInt32LE(entry.compressed.length, 18);
  header.writeUInt32LE(entry.uncompressedSize >>> 0, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, name]);
}

function centralHeader(entry: Entry): Buffer {
  const name = Buffer.from(entry.name, "utf8");
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(20, 6);
  header.writeUInt16LE(8, 10);
  header.writeUInt32LE(0, 16);
  header.writeUInt32LE(entry.compressed.length, 20);
  header.writeUInt32LE(entry.uncompressedSize >>> 0, 24);
  header.writeUInt16LE(name.length, 28);
  header.writeUInt32LE(entry.offset, 42);
  return Buffer.concat([header, name]);
}

export async function writeDocxZipBomb(path: string, inflatedBytes = 2 * 1024 * 1024 * 1024): Promise<void> {
  const contentTypes = Buffer.from(
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"></Types>',
  );
  const { deflateRawSync } = await import("node:zlib");
  const entries: Entry[] = [
    { name: "[Content_Types].xml", compressed: deflateRawSync(contentTypes), uncompressedSize: contentTypes.length, offset: 0 },
    { name: "word/document.xml", compressed: await deflateZeros(inflatedBytes), uncompressedSize: inflatedBytes, offset: 0 },
  ];
  const output = createWriteStream(path);
  let offset = 0;
  for (const entry of entries) {
    entry.offset = offset;
    const header = localHeader(entry);
    output.write(header);
    output.write(entry.compressed);
    offset += header.length + entry.compressed.length;
  }
  const central = Buffer.concat(entries.map(centralHeader));
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(offset, 16);
  output.write(central);
  output.end(end);
  await once(output, "finish");
}
