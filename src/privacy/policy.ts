/** Whether what goes to an endpoint is redacted: "auto" redacts for endpoints off the machine only. */
export type RedactionPolicy = "auto" | "always" | "never";

export function shouldRedact(policy: RedactionPolicy, endpointIsLocal: boolean): boolean {
  return policy === "always" || (policy === "auto" && !endpointIsLocal);
}
