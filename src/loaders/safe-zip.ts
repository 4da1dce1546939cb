/**
 * Reads ZIP containers (DOCX, PPTX, XLSX) without trusting them. Sizes declared in the central directory are
 * checked before anything is inflated, and the bytes actually inflated are counted while streaming, so a zip
 * bomb is stopped after at most `maxInflatedBytes` of work, whatever its headers claim.
 */
import yauzl from "yauzl";
import type { Entry, ZipFile } from "yauzl";
import { HearthError, describeError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { LoadContext, LoadLimits } from "./types.ts";

const megabyte = 1024 * 1024;
/** Small XML parts compress very well; the ratio is only meaningful once an entry is this large. */
const ratioGraceBytes = megabyte;

const zipSignature = [0x50, 0x4b, 0x03, 0x04];
/** Compound File Binary (OLE2): legacy .doc/.xls/.ppt and password-protected OOXML files. */
const compoundFileSignature = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((byte, index) => bytes[index] === byte);
}

export function isZip(bytes: Uint8Array): boolean {
  return startsWith(bytes, zipSignature);
}

export function isCompoundFile(bytes: Uint8Array): boolean {
  return startsWith(bytes, compoundFileSignature);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * What an Office loader's sniff() accepts: a ZIP holding these part names, or a CFB container, which is how a
 * password-protected DOCX/PPTX/XLSX is stored (the loader then explains what it is).
 */
export function isOfficeContainerWith(bytes: Uint8Array, markers: readonly string[]): boolean {
  return isCompoundFile(bytes) || isZipWith(bytes, markers);
}

/**
 * True when the bytes are a ZIP whose entry names include every marker (file names are stored uncompressed in
 * the local headers and central directory, so a byte search is enough for sniffing).
 */
export function isZipWith(bytes: Uint8Array, markers: readonly string[]): boolean {
  if (!isZip(bytes)) return false;
  const buffer = asBuffer(bytes);
  return markers.every((marker) => buffer.includes(marker, 0, "latin1"));
}

/** "a DOCX", "an XLSX": abbreviations are read letter by letter. */
function withArticle(label: string): string {
  return `${/^[AEFHILMNORSX]/.test(label) ? "an" : "a"} ${label}`;
}

/** Encrypted OOXML keeps the real package in a CFB stream with this (UTF-16LE) name. */
const encryptedPackageName = Buffer.from("EncryptedPackage", "utf16le");
/** The main streams of .doc, .xls and .ppt files. */
const legacyStreamNames = ["WordDocument", "Workbook", "Book", "PowerPoint Document"].map((name) => Buffer.from(name, "utf16le"));

/**
 * The checks every Office loader makes before reading: empty, password-protected (CFB), or not a ZIP at all
 * (e.g. a text file renamed .docx). `label` is the format as users know it ("DOCX").
 */
export function checkOfficeContainer(bytes: Uint8Array, context: LoadContext, label: string): Result<void> {
  const subject = context.path;
  if (bytes.length === 0) {
    return fail(new HearthError("FILE_EMPTY", `${context.fileName}: the file is empty`, { subject }));
  }
  if (isCompoundFile(bytes)) {
    const buffer = asBuffer(bytes);
    // Stream names in the CFB directory tell an old binary Office file from an encrypted new one.
    if (!buffer.includes(encryptedPackageName) && legacyStreamNames.some((name) => buffer.includes(name))) {
      return fail(
        new HearthError("MISLABELLED_FILE", `${context.fileName} is not ${withArticle(label)} file (it is an older binary Office file; save it as ${label} and add it again)`, {
          subject,
        }),
      );
    }
    return fail(
      new HearthError("ENCRYPTED_FILE", `${context.fileName}: password-protected (encrypted Office file); remove the password and add it again`, {
        subject,
      }),
    );
  }
  if (!isZip(bytes)) {
    return fail(new HearthError("MISLABELLED_FILE", `${context.fileName} is not ${withArticle(label)} file (no ZIP signature)`, { subject }));
  }
  return ok(undefined);
}

export interface ReadZipOptions {
  /** Entries to inflate and return; the others are size-checked from the central directory but never inflated. */
  entryFilter?: (name: string) => boolean;
  /**
   * Inflate (and so count) every entry, keeping only those that pass `entryFilter`: for readers such as
   * exceljs that go on to inflate every part themselves.
   */
  inflateAll?: boolean;
  /** The format as users know it, for messages ("DOCX"); defaults to "ZIP". */
  label?: string;
  /**
   * Reject on the sizes the central directory declares before inflating (default true). Only tests turn this
   * off, to prove that the streaming counters stop a bomb whose headers lie.
   */
  checkDeclaredSizes?: boolean;
}

/** Thrown inside the reader, turned into a Result at the boundary. */
class ZipLimitError extends Error {
  constructor(
    readonly code: "ZIP_BOMB" | "ENCRYPTED_FILE",
    message: string,
  ) {
    super(message);
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * megabyte) return `${Math.round((bytes / (1024 * megabyte)) * 10) / 10} GB`;
  if (bytes >= megabyte) return `${Math.round(bytes / megabyte)} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

function bombMessage(limits: LoadLimits): string {
  return `archive inflates beyond the ${formatBytes(limits.maxInflatedBytes)} limit (zip bomb?)`;
}

function ratioMessage(name: string, ratio: number): string {
  return `archive entry ${name} expands ${Math.round(ratio)} times (zip bomb?)`;
}

function openZip(buffer: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(
      buffer,
      { lazyEntries: true, validateEntrySizes: true, autoClose: false, strictFileNames: false, decodeStrings: true },
      (error, zipfile) => (error ? reject(error) : resolve(zipfile)),
    );
  });
}

/** Reads the central directory only; nothing is inflated. */
function listEntries(zipfile: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zipfile.on("entry", (entry: Entry) => {
      entries.push(entry);
      zipfile.readEntry();
    });
    zipfile.once("end", () => resolve(entries));
    zipfile.once("error", reject);
    zipfile.readEntry();
  });
}

interface InflateBudget {
  inflatedBytes: number;
  readonly limits: LoadLimits;
}

/** Inflates one entry under the budget; with `keepBytes` false the bytes are only counted. */
function inflateEntry(zipfile: ZipFile, entry: Entry, budget: InflateBudget, keepBytes: boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zipfile.openReadStream(entry, (openError, stream) => {
      if (openError) return reject(openError);
      const chunks: Buffer[] = [];
      let entryBytes = 0;
      let settled = false;
      const stop = (error: Error): void => {
        if (settled) return;
        settled = true;
        chunks.length = 0;
        stream.destroy();
        reject(error);
      };
      stream.on("data", (chunk: Buffer) => {
        if (settled) return;
        entryBytes += chunk.length;
        budget.inflatedBytes += chunk.length;
        if (budget.inflatedBytes > budget.limits.maxInflatedBytes) return stop(new ZipLimitError("ZIP_BOMB", bombMessage(budget.limits)));
        const ratio = entryBytes / Math.max(1, entry.compressedSize);
        if (entryBytes > ratioGraceBytes && ratio > budget.limits.maxCompressionRatio) {
          return stop(new ZipLimitError("ZIP_BOMB", ratioMessage(entry.fileName, ratio)));
        }
        if (keepBytes) chunks.push(chunk);
      });
      stream.once("error", (error: Error) => {
        // yauzl's validateEntrySizes: the entry inflates past the size its header declares.
        if (/too many bytes in the stream/.test(error.message)) {
          stop(new ZipLimitError("ZIP_BOMB", `archive entry ${entry.fileName} inflates beyond its declared size (zip bomb?)`));
        } else stop(error);
      });
      stream.once("end", () => {
        if (settled) return;
        settled = true;
        resolve(Buffer.concat(chunks));
      });
    });
  });
}

function checkDeclared(entries: readonly Entry[], limits: LoadLimits): void {
  let declaredTotal = 0;
  for (const entry of entries) {
    declaredTotal += entry.uncompressedSize;
    if (declaredTotal > limits.maxInflatedBytes) throw new ZipLimitError("ZIP_BOMB", bombMessage(limits));
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (entry.uncompressedSize > ratioGraceBytes && ratio > limits.maxCompressionRatio) {
      throw new ZipLimitError("ZIP_BOMB", ratioMessage(entry.fileName, ratio));
    }
  }
}

/**
 * Inflates the entries of a ZIP archive that pass `entryFilter` into a map keyed by entry name, enforcing
 * `context.limits` on the whole container. Directory entries are skipped.
 */
export async function readZipEntries(
  bytes: Uint8Array,
  context: LoadContext,
  options: ReadZipOptions = {},
): Promise<Result<Map<string, Buffer>>> {
  const label = options.label ?? "ZIP";
  const subject = context.path;
  let zipfile: ZipFile | undefined;
  try {
    zipfile = await openZip(asBuffer(bytes));
    const entries = await listEntries(zipfile);
    if (options.checkDeclaredSizes !== false) checkDeclared(entries, context.limits);
    const budget: InflateBudget = { inflatedBytes: 0, limits: context.limits };
    const files = new Map<string, Buffer>();
    for (const entry of entries) {
      if (entry.fileName.endsWith("/")) continue;
      const keep = !options.entryFilter || options.entryFilter(entry.fileName);
      if (!keep && !options.inflateAll) continue;
      if (entry.isEncrypted()) throw new ZipLimitError("ENCRYPTED_FILE", `password-protected (encrypted ZIP entry ${entry.fileName})`);
      const content = await inflateEntry(zipfile, entry, budget, keep);
      if (keep) files.set(entry.fileName, content);
    }
    return ok(files);
  } catch (error) {
    if (error instanceof ZipLimitError) {
      return fail(new HearthError(error.code, `${context.fileName}: ${error.message}`, { subject, cause: error }));
    }
    const reason = describeError(error);
    const message = label === "ZIP" ? `not a valid ZIP archive (${reason})` : `not a valid ${label} file (broken ZIP archive: ${reason})`;
    return fail(new HearthError("CORRUPT_FILE", `${context.fileName}: ${message}`, { subject, cause: error }));
  } finally {
    zipfile?.close();
  }
}

/** Office media parts (images, video, embedded objects): never needed for text, often most of the bytes. */
export function isOfficeMedia(name: string): boolean {
  return /^(word|ppt|xl)\/(media|embeddings)\//.test(name) || /\.(png|jpe?g|gif|bmp|tiff?|emf|wmf|svg|mp4|mov|wav|mp3|bin)$/i.test(name);
}
