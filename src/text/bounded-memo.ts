/**
 * A function's results kept by argument, for work that is the same every time it is asked (a regular expression
 * built for a name, a verdict on a statement's text) and asked often. Bounded: past `limit` entries it is emptied at
 * once (cheaper than tracking recency, and refilled by the next few calls), so arguments that embed values (a
 * question's text, a statement listing ids) cannot grow it without end. `null` and `undefined` results are kept too.
 */
export function boundedMemo<Argument, Result>(compute: (argument: Argument) => Result, limit: number): (argument: Argument) => Result {
  const results = new Map<Argument, Result>();
  return (argument) => {
    if (results.has(argument)) return results.get(argument) as Result;
    const result = compute(argument);
    if (results.size >= limit) results.clear();
    results.set(argument, result);
    return result;
  };
}
