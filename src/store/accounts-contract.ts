/**
 * The contract suite every AccountsStore implementation passes. `open` returns a fresh, empty store per test.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AccountsStore, UserRecord } from "./accounts-types.ts";

export function describeAccountsContract(name: string, open: () => AccountsStore): void {
  describe(`AccountsStore contract: ${name}`, () => {
    let accounts: AccountsStore;
    beforeEach(() => {
      accounts = open();
    });
    afterEach(() => accounts.close());

    const user = async (email: string, password = "correct horse battery"): Promise<UserRecord> => {
      const created = await accounts.createUser({ email, name: email.split("@")[0] ?? email, password });
      if (!created.ok) throw created.error;
      return created.value;
    };

    it("creates users with normalised emails and refuses a duplicate", async () => {
      expect(accounts.countUsers()).toBe(0);
      const ann = await user(" Ann@Example.org ");
      expect(ann.email).toBe("ann@example.org");
      expect(accounts.countUsers()).toBe(1);
      expect(accounts.findUserByEmail("ANN@example.org")?.id).toBe(ann.id);
      expect(accounts.getUser(ann.id)?.email).toBe("ann@example.org");
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
      const { token, session } = accounts.createAuthSession(carol.id, 60_000);
      expect(token.length).toBeGreaterThanOrEqual(40);
      expect(session.csrfToken).not.toBe(token);
      const found = accounts.findAuthSession(token);
      expect(found?.user.id).toBe(carol.id);
      expect(found?.csrfToken).toBe(session.csrfToken);
      expect(accounts.findAuthSession(`${token}x`)).toBeUndefined();
      accounts.deleteAuthSession(token);
      expect(accounts.findAuthSession(token)).toBeUndefined();
      const expired = accounts.createAuthSession(carol.id, -1);
      expect(accounts.findAuthSession(expired.token)).toBeUndefined();
    });

    it("keeps workspaces, members and roles apart", async () => {
      const ann = await user("ann@example.org");
      const bob = await user("bob@example.org");
      const annHome = accounts.createWorkspace("Ann's homes", ann.id);
      const bobHome = accounts.createWorkspace("Bob's homes", bob.id);
      expect(accounts.getRole(annHome.id, ann.id)).toBe("admin");
      expect(accounts.getRole(annHome.id, bob.id)).toBeUndefined();
      expect(accounts.listWorkspacesForUser(bob.id).map((entry) => entry.workspace.id)).toEqual([bobHome.id]);
      accounts.setMember(annHome.id, bob.id, "viewer");
      expect(accounts.getRole(annHome.id, bob.id)).toBe("viewer");
      accounts.setMember(annHome.id, bob.id, "editor");
      expect(accounts.listMembers(annHome.id).map((member) => [member.email, member.role])).toEqual([
        ["ann@example.org", "admin"],
        ["bob@example.org", "editor"],
      ]);
      expect(accounts.removeMember(annHome.id, bob.id)).toBe(true);
      expect(accounts.removeMember(annHome.id, bob.id)).toBe(false);
      expect(accounts.getRole(annHome.id, bob.id)).toBeUndefined();
      expect(accounts.getWorkspace(annHome.id)?.name).toBe("Ann's homes");
      expect(accounts.getWorkspace("no-such-id")).toBeUndefined();
      expect(accounts.listWorkspaces()).toHaveLength(2);
    });

    it("lists a workspace's audit events and its members' sign-ins, newest first", async () => {
      const ann = await user("ann@example.org");
      const eve = await user("eve@example.org");
      const home = accounts.createWorkspace("Home", ann.id);
      const other = accounts.createWorkspace("Other", eve.id);
      accounts.recordAudit({ userId: ann.id, workspaceId: null, action: "sign-in", detail: "from 127.0.0.1" });
      accounts.recordAudit({ userId: eve.id, workspaceId: null, action: "sign-in", detail: "from 127.0.0.1" });
      accounts.recordAudit({ userId: ann.id, workspaceId: home.id, action: "upload", detail: "a.pdf: ingested" });
      accounts.recordAudit({ userId: eve.id, workspaceId: other.id, action: "upload", detail: "secret.pdf: ingested" });
      const events = accounts.listAudit(home.id, 100);
      expect(events.map((event) => [event.user, event.action, event.detail])).toEqual([
        ["ann@example.org", "upload", "a.pdf: ingested"],
        ["ann@example.org", "sign-in", "from 127.0.0.1"],
      ]);
      expect(accounts.listAudit(home.id, 1)).toHaveLength(1);
    });

    it("makes the first user the server admin, and changes that flag", async () => {
      const ann = await user("ann@example.org");
      const bob = await user("bob@example.org");
      expect([ann.serverAdmin, bob.serverAdmin]).toEqual([true, false]);
      accounts.setServerAdmin(bob.id, true);
      expect(accounts.getUser(bob.id)?.serverAdmin).toBe(true);
      expect(accounts.listUsers().map((listed) => listed.email)).toEqual(["ann@example.org", "bob@example.org"]);
    });

    it("changes a password, ends a user's sessions but one, and deletes a user with their sessions and memberships", async () => {
      const carol = await user("carol@example.org", "first long password");
      const home = accounts.createWorkspace("Home", (await user("dan@example.org")).id);
      accounts.setMember(home.id, carol.id, "editor");
      const kept = accounts.createAuthSession(carol.id, 60_000);
      const ended = accounts.createAuthSession(carol.id, 60_000);
      expect(await accounts.setPassword(carol.id, "second long password")).toBe(true);
      expect(await accounts.verifyPassword("carol@example.org", "first long password")).toBeUndefined();
      expect((await accounts.verifyPassword("carol@example.org", "second long password"))?.id).toBe(carol.id);
      expect(accounts.deleteAuthSessionsForUser(carol.id, kept.token)).toBe(1);
      expect(accounts.findAuthSession(ended.token)).toBeUndefined();
      expect(accounts.findAuthSession(kept.token)?.user.id).toBe(carol.id);
      expect(accounts.deleteUser(carol.id)).toBe(true);
      expect(accounts.findAuthSession(kept.token)).toBeUndefined();
      expect(accounts.getRole(home.id, carol.id)).toBeUndefined();
      expect(accounts.findUserByEmail("carol@example.org")).toBeUndefined();
      expect(accounts.deleteUser(carol.id)).toBe(false);
    });

    it("accepts a reset code once, for its own email, before it expires", async () => {
      const erin = await user("erin@example.org");
      const other = await user("fred@example.org");
      const code = accounts.createResetCode(erin.id, 60_000);
      expect(code.length).toBeGreaterThanOrEqual(16);
      expect(accounts.consumeResetCode("fred@example.org", code)).toBeUndefined();
      expect(accounts.consumeResetCode("erin@example.org", `${code}X`)).toBeUndefined();
      expect(accounts.consumeResetCode("ERIN@example.org", code.toLowerCase())?.id).toBe(erin.id);
      expect(accounts.consumeResetCode("erin@example.org", code)).toBeUndefined();
      const expired = accounts.createResetCode(other.id, -1);
      expect(accounts.consumeResetCode("fred@example.org", expired)).toBeUndefined();
    });

    it("keeps invitations by token and email, accepts them without lowering a role, and forgets them after", async () => {
      const ann = await user("ann@example.org");
      const home = accounts.createWorkspace("Home", ann.id);
      const { token, invitation } = accounts.createInvitation({ workspaceId: home.id, email: " Gina@Example.org ", role: "editor", invitedBy: ann.id, lifetimeMs: 60_000 });
      expect(invitation).toMatchObject({ email: "gina@example.org", role: "editor", workspaceName: "Home" });
      expect(accounts.findInvitationByToken(token)?.id).toBe(invitation.id);
      expect(accounts.findInvitationByToken(`${token}x`)).toBeUndefined();
      expect(accounts.listInvitationsForEmail("gina@example.org").map((found) => found.id)).toEqual([invitation.id]);
      // A second invitation to the same email and workspace replaces the first.
      const again = accounts.createInvitation({ workspaceId: home.id, email: "gina@example.org", role: "viewer", invitedBy: ann.id, lifetimeMs: 60_000 });
      expect(accounts.listInvitations(home.id).map((found) => found.role)).toEqual(["viewer"]);
      expect(accounts.findInvitationByToken(token)).toBeUndefined();
      const gina = await user("gina@example.org");
      accounts.setMember(home.id, gina.id, "editor");
      expect(accounts.acceptInvitation(again.invitation.id, gina.id)).toBe(true);
      expect(accounts.getRole(home.id, gina.id)).toBe("editor");
      expect(accounts.acceptInvitation(again.invitation.id, gina.id)).toBe(false);
      expect(accounts.listInvitations(home.id)).toEqual([]);
      const expired = accounts.createInvitation({ workspaceId: home.id, email: "hal@example.org", role: "viewer", invitedBy: ann.id, lifetimeMs: -1 });
      expect(accounts.findInvitationByToken(expired.token)).toBeUndefined();
      expect(accounts.deleteInvitation(expired.invitation.id)).toBe(true);
    });
  });
}
