/**
 * Test support: writes small ZIP archives in memory, including zip bombs, so tests never commit big binaries.
 * Only tests import this file.
 */
import { constants, crc32, deflateRawSync } from "node:zlib";

export interface ZipFixtureEntry {
  name: string;
  /** Raw (headerless) deflate data, or the plain bytes when `stored` is true. */
  data: Buffer;
  stored?: boolean;
  /** Size the headers declare; the true size by default. A bomb may lie here. */
  declaredSize: number;
  crc: number;
}

/** A normally compressed entry whose headers tell the truth. */
export function deflatedEntry(name: string, content: string | Buffer): ZipFixtureEntry {
  const plain = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  return { name, data: deflateRawSync(plain), declaredSize: plain.length, crc: crc32(plain) };
}

/**
 * A deflate stream that inflates to `totalBytes` zeros (rounded up to whole pieces) from about a thousandth
 * of that. Each piece is sync-flushed, so it only refers to itself and can be repeated; a final empty block
 * ends the stream.
 */
export function zerosDeflateStream(totalBytes: number, pieceBytes = 16 * 1024 * 1024): Buffer {
  const piece = deflateRawSync(Buffer.alloc(pieceBytes), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const count = Math.ceil(totalBytes / pieceBytes);
  const finalEmptyBlock = Buffer.from([0x03, 0x00]);
  return Buffer.concat([...Array.from({ length: count }, () => piece), finalEmptyBlock]);
}

/** Writes a ZIP (no zip64, no data descriptors) from the given entries. */
export function buildZip(entries: readonly ZipFixtureEntry[]): Buffer {
  const localParts: Buffer[] = [];
  const centralParts: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const method = entry.stored ? 0 : 8;
    const declared = Math.min(entry.declaredSize, 0xfffffffe);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(entry.crc >>> 0, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(entry.crc >>> 0, 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    localParts.push(local, name, entry.data);
    centralParts.push(central, name);
    offset += local.length + name.length + entry.data.length;
  }
  const centralDirectory = Buffer.concat(centralParts);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...localParts, centralDirectory, end]);
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const packageRelationships = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

/**
 * A DOCX-shaped archive whose word/document.xml inflates to `inflatedBytes` zeros while its headers declare
 * `declaredSize` (the truth, capped at 4 GB, unless a lie is asked for).
 */
export function docxBomb(inflatedBytes: number, declaredSize = inflatedBytes): Buffer {
  return buildZip([
    deflatedEntry("[Content_Types].xml", contentTypes),
    deflatedEntry("_rels/.rels", packageRelationships),
    { name: "word/document.xml", data: zerosDeflateStream(inflatedBytes), declaredSize, crc: 0 },
  ]);
}

/** A minimal compound-file (OLE2) header and directory naming the streams of a password-protected OOXML file. */
export function encryptedOfficeHeader(): Buffer {
  const header = Buffer.alloc(512 * 2);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x003e, 24); // minor version
  header.writeUInt16LE(0x0003, 26); // major version 3 (512-byte sectors)
  header.writeUInt16LE(0xfffe, 28); // little-endian byte order mark
  header.writeUInt16LE(9, 30); // sector shift
  header.writeUInt32LE(0, 48); // first directory sector
  const directory = header.subarray(512);
  ["Root Entry", "EncryptionInfo", "EncryptedPackage"].forEach((name, index) => {
    const record = directory.subarray(index * 128, index * 128 + 128);
    record.write(name, 0, "utf16le");
    record.writeUInt16LE((name.length + 1) * 2, 64);
    record[66] = index === 0 ? 5 : 2; // root storage, then streams
  });
  return header;
}
