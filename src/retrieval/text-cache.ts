/**
 * What is worked out from a passage's text (its stems, its sentences, its word set), kept between questions. An
 * answer re-reads the same passages often (the library's best passages on a subject come back for every question
 * about it), and tokenising them again was a tenth of an answer's CPU in the answer threads. Keyed by the text
 * itself, so a changed or deleted passage can never be answered from a stale entry; bounded by the characters it
 * holds, and emptied at once when full (cheaper than tracking recency, and refilled by the next few answers).
 */
export interface TextCache<Value> {
  get(text: string, compute: (text: string) => Value): Value;
}

export function createTextCache<Value>(limitCharacters: number): TextCache<Value> {
  const entries = new Map<string, Value>();
  let characters = 0;
  return {
    get(text, compute) {
      let value = entries.get(text);
      if (value === undefined && !entries.has(text)) {
        value = compute(text);
        if (characters + text.length > limitCharacters) {
          entries.clear();
          characters = 0;
        }
        entries.set(text, value);
        characters += text.length;
      }
      return value as Value;
    },
  };
}
