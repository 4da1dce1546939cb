/**
 * Compile-time checks that the web app's calls follow the server's routes (nothing here runs: `tsc -p web`, part of
 * `npm run typecheck`, is the test). Each `@ts-expect-error` line is a request or a read the server does not
 * accept or send; if one of them ever compiles (the client lost the server's types, or the server changed), the
 * unused directive fails the type-check. The lines without it are the same calls done right, so the errors are
 * the wrong field's and nothing else's.
 */
import { hc } from "hono/client";
import type { WorkspaceRoutes } from "../../src/server/workspaces.ts";
import { api } from "./api-client.ts";
import type { LibraryDocument, Session } from "./api-types.ts";

export async function clientFollowsTheServer(): Promise<void> {
  const workspaces = hc<WorkspaceRoutes>("/").api.workspaces;
  await workspaces[":workspaceId"].invitations.$post({ param: { workspaceId: "w" }, json: { email: "amy@example.org", role: "viewer" } });
  // @ts-expect-error a body field the route does not take ("rol" for "role")
  await workspaces[":workspaceId"].invitations.$post({ param: { workspaceId: "w" }, json: { email: "amy@example.org", rol: "viewer" } });
  // @ts-expect-error a role the server does not know
  await workspaces[":workspaceId"].invitations.$post({ param: { workspaceId: "w" }, json: { email: "amy@example.org", role: "owner" } });
  // @ts-expect-error the path parameter is required
  await workspaces[":workspaceId"].members.$get({});

  // The organisation profile saved from the Settings page: the fields are the server's profile schema.
  await api.saveSettings("w", { profile: { name: "Oak Homes" } });
  // @ts-expect-error the old form's field, which never reached the templates (issue 13, item 8)
  await api.saveSettings("w", { profile: { organisationName: "Oak Homes" } });

  await api.draft("w", { template: "commissioner-email", la: "Kent" });
  // @ts-expect-error drafts take `about`, not `subject`
  await api.draft("w", { template: "commissioner-email", subject: "beds" });

  const me = await api.me();
  void me?.user.serverAdmin;
  // @ts-expect-error the server never sends a password (hash) back
  void me?.user.password;

  const document = {} as LibraryDocument;
  void document.passages;
  // @ts-expect-error the library sends `file`, not `fileName`
  void document.fileName;

  const session = {} as Session;
  void session.exchanges[0]?.answer.citations[0]?.quote;
  // @ts-expect-error a citation carries `quote`, not `text`
  void session.exchanges[0]?.answer.citations[0]?.text;
}
