/**
 * Copies an answer or a draft as plain text with its sources written out under it ("[1] file, page 4"), so that
 * what is pasted into an email or a board paper still says where each claim comes from.
 */
import { useState } from "react";
import type { Citation } from "../api-types.ts";

export function answerAsText(text: string, citations: readonly Citation[]): string {
  if (citations.length === 0) return text.trim();
  const sources = citations.map((citation) => {
    const place = citation.page !== null ? `, page ${citation.page}` : citation.section ? `, “${citation.section}”` : "";
    return `[${citation.n}] ${citation.file}${place}`;
  });
  return `${text.trim()}\n\nSources:\n${sources.join("\n")}`;
}

/** The clipboard API where the page may use it (https or localhost), else a selected textarea and execCommand. */
async function copyToClipboard(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  const copied = document.execCommand("copy");
  area.remove();
  if (!copied) throw new Error("copy refused");
}

export function CopyButton({ text, citations, label = "Copy" }: { text: string; citations: readonly Citation[]; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <button
      type="button"
      className="secondary copy-button"
      onClick={() => {
        copyToClipboard(answerAsText(text, citations))
          .then(() => setState("copied"))
          .catch(() => setState("failed"));
        window.setTimeout(() => setState("idle"), 2500);
      }}
    >
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed: select the text instead" : label}
      <span className="visually-hidden" role="status">
        {state === "copied" ? "Copied to the clipboard with its sources" : ""}
      </span>
    </button>
  );
}
