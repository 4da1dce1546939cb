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
  });
}
