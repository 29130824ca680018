import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DEFAULT_WORKSPACE_ID, ensureWorkspace } from "../../src/auth/resolve";
import { jobs } from "../../src/db/schema";
import { JobLeases } from "../../src/jobs/job-leases";
import { JobManager } from "../../src/jobs/job-manager";
import { createFakeClock } from "../helpers/clock";
import { createTestDb } from "../helpers/db";

async function setup() {
  const { db } = await createTestDb();
  const clock = createFakeClock();
  await ensureWorkspace(db, DEFAULT_WORKSPACE_ID);
  const manager = new JobManager(db, clock);
  const create = async (priority = 0) => {
    clock.advance(1);
    return manager.create({ workspaceId: DEFAULT_WORKSPACE_ID, type: "execute", payload: {}, priority });
  };
  return { db, clock, manager, leases: new JobLeases(db, clock), create };
}

describe("JobLeases", () => {
  it("claims by priority, then age, and skips jobs not yet due", async () => {
    const { db, clock, leases, create } = await setup();
    const old = await create();
    const urgent = await create(5);
    const waiting = await create(9);
    await db.update(jobs).set({ nextRetryAt: "2026-01-01T01:00:00.000Z" }).where(eq(jobs.id, waiting.id));
    const young = await create();
    const claimed = await leases.claimNext("r1", 60_000, 10);
    expect(claimed.map((j) => j.id).sort()).toEqual([old.id, urgent.id, young.id].sort());
    expect(claimed.every((j) => j.status === "running" && j.leaseOwner === "r1" && j.attempts === 1)).toBe(true);
    expect(claimed[0]?.startedAt).toBe(clock.now().toISOString());
    expect(await leases.claim(waiting.id, "r1", 60_000)).toBeUndefined();
    clock.set("2026-01-01T01:00:00.000Z");
    expect((await leases.claim(waiting.id, "r1", 60_000))?.nextRetryAt).toBeNull();
  });

  it("takes the highest priority first when only one slot is free", async () => {
    const { leases, create } = await setup();
    await create();
    const urgent = await create(5);
    expect((await leases.claimNext("r1", 60_000, 1)).map((j) => j.id)).toEqual([urgent.id]);
  });

  it("lets only the lease owner finish a running job, and never a cancelled one", async () => {
    const { manager, leases, create } = await setup();
    const job = await create();
    await leases.claimNext("r1", 60_000, 1);
    expect(await leases.complete(job.id, "r2", {})).toBe(false);
    expect(await manager.cancel(DEFAULT_WORKSPACE_ID, job.id)).toMatchObject({ status: "cancelled" });
    expect(await leases.isHeld(job.id, "r1")).toBe(false);
    expect(await leases.complete(job.id, "r1", { late: true })).toBe(false);
    const failure = { error: "x", category: "unknown" as const, delayMs: 1, willRetry: true };
    expect(await leases.fail(job.id, "r1", failure)).toBe(false);
    expect(await manager.listRetries(job.id)).toEqual([]);
    expect(await leases.acknowledgeCancel(job.id, "r1", "Stopped")).toBe(true);
    expect(await manager.get(DEFAULT_WORKSPACE_ID, job.id)).toMatchObject({ status: "cancelled", result: null });
  });
});
