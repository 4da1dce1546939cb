/**
 * The contract suite every AccountsStore implementation passes (SQLite in sqlite-accounts.test.ts, PostgreSQL in
 * postgres/postgres-accounts.test.ts). `open` returns a fresh, empty store per test (sync or async).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AccountsStore, UserRecord } from "./accounts-types.ts";

export function describeAccountsContract(name: string, open: () => AccountsStore | Promise<AccountsStore>): void {
  describe(`AccountsStore contract: ${name}`, () => {
    let accounts: AccountsStore;
    beforeEach(async () => {
      accounts = await open();
    });
    afterEach(async () => {
      await accounts.close();
    });

    const user = async (email: string, password = "correct horse battery"): Promise<UserRecord> => {
      const created = await accounts.createUser({ email, name: email.split("@")[0] ?? email, password });
      if (!created.ok) throw created.error;
      return created.value;
    };

    it("creates users with normalised emails and refuses a duplicate", async () => {
      expect(await accounts.countUsers()).toBe(0);
      const ann = await user(" Ann@Example.org ");
      expect(ann.email).toBe("ann@example.org");
      expect(await accounts.countUsers()).toBe(1);
      expect((await accounts.findUserByEmail("ANN@example.org"))?.id).toBe(ann.id);
      expect((await accounts.getUser(ann.id))?.email).toBe("ann@example.org");
      const duplicate = await accounts.createUser({ email: "ann@example.org", name: "Other", password: "another password" });
      expect(duplicate.ok).toBe(false);
      if (!duplicate.ok) expect(duplicate.error.message).toContain("ann@example.org");
    });

    it("verifies passwords and never stores them in clear", async () => {
      await user("bob@example.org", "s3cret password!");
      expect((await accounts.verifyPassword("bob@example.org", "s3cret password!"))?.email).toBe("bob@example.org");
      expect(await accounts.verifyPassword("bob@example.org", "s3cret password")).toBeUndefined();
      expect(await accounts.verifyPassword("nobody@example.org", "s3cret password!")).toBeUndefined();
    });

    it("starts, finds and ends sign-in sessions; an expired one is not found", async () => {
      const carol = await user("carol@example.org");
      const { token, session } = await accounts.createAuthSession(carol.id, 60_000);
      expect(token.length).toBeGreaterThanOrEqual(40);
      expect(session.csrfToken).not.toBe(token);
      const found = await accounts.findAuthSession(token);
      expect(found?.user.id).toBe(carol.id);
      expect(found?.csrfToken).toBe(session.csrfToken);
      expect(await accounts.findAuthSession(`${token}x`)).toBeUndefined();
      await accounts.deleteAuthSession(token);
      expect(await accounts.findAuthSession(token)).toBeUndefined();
      const expired = await accounts.createAuthSession(carol.id, -1);
      expect(await accounts.findAuthSession(expired.token)).toBeUndefined();
    });

    it("keeps workspaces, members and roles apart", async () => {
      const ann = await user("ann@example.org");
      const bob = await user("bob@example.org");
      const annHome = await accounts.createWorkspace("Ann's homes", ann.id);
      const bobHome = await accounts.createWorkspace("Bob's homes", bob.id);
      expect(await accounts.getRole(annHome.id, ann.id)).toBe("admin");
      expect(await accounts.getRole(annHome.id, bob.id)).toBeUndefined();
      expect((await accounts.listWorkspacesForUser(bob.id)).map((entry) => entry.workspace.id)).toEqual([bobHome.id]);
      await accounts.setMember(annHome.id, bob.id, "viewer");
      expect(await accounts.getRole(annHome.id, bob.id)).toBe("viewer");
      await accounts.setMember(annHome.id, bob.id, "editor");
      expect((await accounts.listMembers(annHome.id)).map((member) => [member.email, member.role])).toEqual([
        ["ann@example.org", "admin"],
        ["bob@example.org", "editor"],
      ]);
      expect(await accounts.removeMember(annHome.id, bob.id)).toBe(true);
      expect(await accounts.removeMember(annHome.id, bob.id)).toBe(false);
      expect(await accounts.getRole(annHome.id, bob.id)).toBeUndefined();
      expect((await accounts.getWorkspace(annHome.id))?.name).toBe("Ann's homes");
      expect(await accounts.getWorkspace("no-such-id")).toBeUndefined();
      expect(await accounts.listWorkspaces()).toHaveLength(2);
    });

    it("lists a workspace's audit events and its members' sign-ins, newest first", async () => {
      const ann = await user("ann@example.org");
      const eve = await user("eve@example.org");
      const home = await accounts.createWorkspace("Home", ann.id);
      const other = await accounts.createWorkspace("Other", eve.id);
      await accounts.recordAudit({ userId: ann.id, workspaceId: null, action: "sign-in", detail: "from 127.0.0.1" });
      await accounts.recordAudit({ userId: eve.id, workspaceId: null, action: "sign-in", detail: "from 127.0.0.1" });
      await accounts.recordAudit({ userId: ann.id, workspaceId: home.id, action: "upload", detail: "a.pdf: ingested" });
      await accounts.recordAudit({ userId: eve.id, workspaceId: other.id, action: "upload", detail: "secret.pdf: ingested" });
      const events = await accounts.listAudit(home.id, 100);
      expect(events.map((event) => [event.user, event.action, event.detail])).toEqual([
        ["ann@example.org", "upload", "a.pdf: ingested"],
        ["ann@example.org", "sign-in", "from 127.0.0.1"],
      ]);
      expect(await accounts.listAudit(home.id, 1)).toHaveLength(1);
    });

    it("makes the first user the server admin, and changes that flag", async () => {
      const ann = await user("ann@example.org");
      const bob = await user("bob@example.org");
      expect([ann.serverAdmin, bob.serverAdmin]).toEqual([true, false]);
      await accounts.setServerAdmin(bob.id, true);
      expect((await accounts.getUser(bob.id))?.serverAdmin).toBe(true);
      expect((await accounts.listUsers()).map((listed) => listed.email)).toEqual(["ann@example.org", "bob@example.org"]);
    });

    it("changes a password, ends a user's sessions but one, and deletes a user with their sessions and memberships", async () => {
      const carol = await user("carol@example.org", "first long password");
      const home = await accounts.createWorkspace("Home", (await user("dan@example.org")).id);
      await accounts.setMember(home.id, carol.id, "editor");
      const kept = await accounts.createAuthSession(carol.id, 60_000);
      const ended = await accounts.createAuthSession(carol.id, 60_000);
      expect(await accounts.setPassword(carol.id, "second long password")).toBe(true);
      expect(await accounts.verifyPassword("carol@example.org", "first long password")).toBeUndefined();
      expect((await accounts.verifyPassword("carol@example.org", "second long password"))?.id).toBe(carol.id);
      expect(await accounts.deleteAuthSessionsForUser(carol.id, kept.token)).toBe(1);
      expect(await accounts.findAuthSession(ended.token)).toBeUndefined();
      expect((await accounts.findAuthSession(kept.token))?.user.id).toBe(carol.id);
      expect(await accounts.deleteUser(carol.id)).toBe(true);
      expect(await accounts.findAuthSession(kept.token)).toBeUndefined();
      expect(await accounts.getRole(home.id, carol.id)).toBeUndefined();
      expect(await accounts.findUserByEmail("carol@example.org")).toBeUndefined();
      expect(await accounts.deleteUser(carol.id)).toBe(false);
    });

    it("accepts a reset code once, for its own email, before it expires", async () => {
      const erin = await user("erin@example.org");
      const other = await user("fred@example.org");
      const code = await accounts.createResetCode(erin.id, 60_000);
      expect(code.length).toBeGreaterThanOrEqual(16);
      expect(await accounts.consumeResetCode("fred@example.org", code)).toBeUndefined();
      expect(await accounts.consumeResetCode("erin@example.org", `${code}X`)).toBeUndefined();
      expect((await accounts.consumeResetCode("ERIN@example.org", code.toLowerCase()))?.id).toBe(erin.id);
      expect(await accounts.consumeResetCode("erin@example.org", code)).toBeUndefined();
      const expired = await accounts.createResetCode(other.id, -1);
      expect(await accounts.consumeResetCode("fred@example.org", expired)).toBeUndefined();
    });

    it("keeps invitations by token and email, accepts them without lowering a role, and forgets them after", async () => {
      const ann = await user("ann@example.org");
      const home = await accounts.createWorkspace("Home", ann.id);
      const { token, invitation } = await accounts.createInvitation({ workspaceId: home.id, email: " Gina@Example.org ", role: "editor", invitedBy: ann.id, lifetimeMs: 60_000 });
      expect(invitation).toMatchObject({ email: "gina@example.org", role: "editor", workspaceName: "Home" });
      expect((await accounts.findInvitationByToken(token))?.id).toBe(invitation.id);
      expect(await accounts.findInvitationByToken(`${token}x`)).toBeUndefined();
      expect((await accounts.listInvitationsForEmail("gina@example.org")).map((found) => found.id)).toEqual([invitation.id]);
      // A second invitation to the same email and workspace replaces the first.
      const again = await accounts.createInvitation({ workspaceId: home.id, email: "gina@example.org", role: "viewer", invitedBy: ann.id, lifetimeMs: 60_000 });
      expect((await accounts.listInvitations(home.id)).map((found) => found.role)).toEqual(["viewer"]);
      expect(await accounts.findInvitationByToken(token)).toBeUndefined();
      const gina = await user("gina@example.org");
      await accounts.setMember(home.id, gina.id, "editor");
      expect(await accounts.acceptInvitation(again.invitation.id, gina.id)).toBe(true);
      expect(await accounts.getRole(home.id, gina.id)).toBe("editor");
      expect(await accounts.acceptInvitation(again.invitation.id, gina.id)).toBe(false);
      expect(await accounts.listInvitations(home.id)).toEqual([]);
      const expired = await accounts.createInvitation({ workspaceId: home.id, email: "hal@example.org", role: "viewer", invitedBy: ann.id, lifetimeMs: -1 });
      expect(await accounts.findInvitationByToken(expired.token)).toBeUndefined();
      expect(await accounts.deleteInvitation(expired.invitation.id)).toBe(true);
    });

    it("keeps sign-in failures per key within a window, forgets them on a success, and prunes old ones", async () => {
      expect(await accounts.recentSignInFailures("ann@example.org\u0000127.0.0.1", 60_000)).toEqual([]);
      for (let failure = 0; failure < 3; failure++) await accounts.recordSignInFailure("ann@example.org\u0000127.0.0.1");
      await accounts.recordSignInFailure("127.0.0.1");
      const ages = await accounts.recentSignInFailures("ann@example.org\u0000127.0.0.1", 60_000);
      expect(ages).toHaveLength(3);
      // Ages, oldest first, by the store's own clock (so that several servers agree whatever their clocks).
      for (const each of ages) expect(each).toBeGreaterThanOrEqual(0);
      expect(age(ages, 0)).toBeGreaterThanOrEqual(age(ages, 2));
      expect(age(ages, 0)).toBeLessThan(60_000);
      expect(await accounts.recentSignInFailures("127.0.0.1", 60_000)).toHaveLength(1);
      await sleep(300);
      // A window shorter than the failures' age counts none of them.
      expect(await accounts.recentSignInFailures("ann@example.org\u0000127.0.0.1", 10)).toEqual([]);
      await accounts.clearSignInFailures("ann@example.org\u0000127.0.0.1");
      expect(await accounts.recentSignInFailures("ann@example.org\u0000127.0.0.1", 60_000)).toEqual([]);
      expect(await accounts.recentSignInFailures("127.0.0.1", 60_000)).toHaveLength(1);
      await accounts.recordSignInFailure("10.0.0.9");
      expect(await accounts.pruneSignInFailures(150)).toBe(1);
      expect(await accounts.recentSignInFailures("127.0.0.1", 60_000)).toEqual([]);
      expect(await accounts.recentSignInFailures("10.0.0.9", 60_000)).toHaveLength(1);
    });

    it("answers lookups holding a NUL (from a URL or a form) with nothing, and keeps such free text", async () => {
      const ann = await user("ann@example.org");
      const home = await accounts.createWorkspace("Home", ann.id);
      expect(await accounts.findUserByEmail("ann\u0000@example.org")).toBeUndefined();
      expect(await accounts.verifyPassword("ann\u0000@example.org", "correct horse battery")).toBeUndefined();
      expect(await accounts.consumeResetCode("ann\u0000@example.org", "CODE")).toBeUndefined();
      expect(await accounts.getWorkspace(`${home.id}\u0000`)).toBeUndefined();
      expect(await accounts.getRole(`${home.id}\u0000`, ann.id)).toBeUndefined();
      expect(await accounts.getInvitation("x\u0000")).toBeUndefined();
      expect(await accounts.findAuthSession("token\u0000")).toBeUndefined();
      await accounts.recordAudit({ userId: ann.id, workspaceId: home.id, action: "question", detail: "what\u0000 now?" });
      expect((await accounts.listAudit(home.id, 1))[0]?.detail).toMatch(/^what. now\?$/);
    });

    it("makes exactly one server admin when the first users are created at once", async () => {
      const created = await Promise.all(["a@example.org", "b@example.org", "c@example.org"].map((email) => user(email)));
      expect(created.filter((record) => record.serverAdmin)).toHaveLength(1);
      expect((await accounts.listUsers()).filter((record) => record.serverAdmin)).toHaveLength(1);
    });
  });
}

const age = (ages: number[], index: number): number => {
  const value = ages[index];
  if (value === undefined) throw new Error(`no failure ${index}`);
  return value;
};
