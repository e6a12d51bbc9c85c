import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeAdminActionLog,
  makeConversation,
  makeCreditTransaction,
  makeMessage,
  makePaymentTransaction,
  makePreference,
  makeSubscriptionHistory,
  makeUsageLog,
  makeUser,
} from './test-factories';
import { createTestDb, type TestDb } from './testing';

// The ten rules of the seed's "Cascading Deletes", enforced by the database itself.
describe('ON DELETE rules', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db.cleanup();
  });

  async function deleteUser(id: number): Promise<void> {
    expect(await db.models.User.query().deleteById(id)).toBe(1);
  }

  it('user → preferences: cascade', async () => {
    const preference = await makePreference(db);
    await deleteUser(preference.user_id);
    expect(await db.models.UserPreference.query().findById(preference.id)).toBeUndefined();
  });

  it('user → conversations: cascade', async () => {
    const conversation = await makeConversation(db);
    await deleteUser(conversation.user_id);
    expect(await db.models.Conversation.query().findById(conversation.id)).toBeUndefined();
  });

  it('user → credit transactions: cascade', async () => {
    const transaction = await makeCreditTransaction(db);
    await deleteUser(transaction.user_id);
    expect(await db.models.CreditTransaction.query().findById(transaction.id)).toBeUndefined();
  });

  it('user → subscription history: cascade', async () => {
    const history = await makeSubscriptionHistory(db);
    await deleteUser(history.user_id);
    expect(await db.models.SubscriptionHistory.query().findById(history.id)).toBeUndefined();
  });

  it('user → payment transactions: cascade', async () => {
    const payment = await makePaymentTransaction(db);
    await deleteUser(payment.user_id);
    expect(await db.models.PaymentTransaction.query().findById(payment.id)).toBeUndefined();
  });

  it('conversation → messages: cascade', async () => {
    const message = await makeMessage(db);
    const other = await makeMessage(db);
    expect(await db.models.Conversation.query().deleteById(message.conversation_id)).toBe(1);
    expect(await db.models.ConversationMessage.query().findById(message.id)).toBeUndefined();
    expect(await db.models.ConversationMessage.query().findById(other.id)).toBeDefined();
  });

  it('conversation → breakouts: set null (the breakout survives its parent)', async () => {
    const parent = await makeConversation(db);
    const breakout = await makeConversation(db, {
      user_id: parent.user_id,
      conversation_type: 'breakout',
      parent_conversation_id: parent.id,
      breakout_model_id: 'openai/gpt-4o-mini',
    });
    expect(await db.models.Conversation.query().deleteById(parent.id)).toBe(1);
    const survivor = await db.models.Conversation.query().findById(breakout.id);
    expect(survivor).toMatchObject({ parent_conversation_id: null, conversation_type: 'breakout' });
  });

  it('conversation → pin: cascade (conversation_pins, issue 15, not in the seed)', async () => {
    const conversation = await makeConversation(db);
    await db.models.ConversationPin.query().insert({ conversation_id: conversation.id });
    expect(await db.models.Conversation.query().deleteById(conversation.id)).toBe(1);
    expect(await db.models.ConversationPin.query().findById(conversation.id)).toBeUndefined();
  });

  it('conversation and owner → shared links: cascade; staff who took one down → set null (issue 17)', async () => {
    const conversation = await makeConversation(db);
    const staff = await makeUser(db, { role: 'moderator' });
    const link = (token: string) =>
      db.models.SharedLink.query().insert({
        token: token.padEnd(43, 'x'),
        conversation_id: conversation.id,
        user_id: conversation.user_id,
        taken_down_by: staff.id,
      });
    const first = await link('cascade-a');
    await deleteUser(staff.id);
    expect(await db.models.SharedLink.query().findById(first.id)).toMatchObject({ taken_down_by: null });
    expect(await db.models.Conversation.query().deleteById(conversation.id)).toBe(1);
    expect(await db.models.SharedLink.query().findById(first.id)).toBeUndefined();

    const other = await makeConversation(db);
    const second = await db.models.SharedLink.query().insert({
      token: 'cascade-b'.padEnd(43, 'x'),
      conversation_id: other.id,
      user_id: other.user_id,
    });
    await deleteUser(other.user_id);
    expect(await db.models.SharedLink.query().findById(second.id)).toBeUndefined();
  });

  it('user → blind runs: cascade; conversation → blind runs: cascade; blind run → vote: cascade', async () => {
    const conversation = await makeConversation(db);
    const run = await db.models.BlindRun.query().insert({
      id: randomUUID(),
      user_id: conversation.user_id,
      conversation_id: conversation.id,
      ip_address: '203.0.113.7',
      browser_fingerprint: null,
      owner_digest: 'a'.repeat(64),
      labels: { 'Model A': 'openai/gpt-4o-mini', 'Model B': 'anthropic/claude-haiku-4.5' },
      usage_log_id: null,
      finished_at: null,
      revealed_at: null,
    });
    const vote = await db.models.ArenaVote.query().insert({
      blind_run_id: run.id,
      user_id: conversation.user_id,
      is_anonymous: false,
      outcome: 'best',
      ranking: ['openai/gpt-4o-mini', 'anthropic/claude-haiku-4.5'],
    });
    expect(await db.models.Conversation.query().deleteById(conversation.id)).toBe(1);
    expect(await db.models.BlindRun.query().findById(run.id)).toBeUndefined();
    expect(await db.models.ArenaVote.query().findById(vote.id)).toBeUndefined();

    const user = await makeUser(db);
    const own = await db.models.BlindRun.query().insert({
      id: randomUUID(),
      user_id: user.id,
      conversation_id: null,
      ip_address: '203.0.113.7',
      browser_fingerprint: null,
      owner_digest: 'b'.repeat(64),
      labels: { 'Model A': 'openai/gpt-4o-mini' },
      usage_log_id: null,
      finished_at: null,
      revealed_at: null,
    });
    await deleteUser(user.id);
    expect(await db.models.BlindRun.query().findById(own.id)).toBeUndefined();
  });

  it("user → arena votes: set null (a deleted account's votes still count on the global board)", async () => {
    const user = await makeUser(db);
    const run = await db.models.BlindRun.query().insert({
      id: randomUUID(),
      user_id: null,
      conversation_id: null,
      ip_address: '203.0.113.8',
      browser_fingerprint: null,
      owner_digest: 'c'.repeat(64),
      labels: { 'Model A': 'openai/gpt-4o-mini' },
      usage_log_id: null,
      finished_at: null,
      revealed_at: null,
    });
    const vote = await db.models.ArenaVote.query().insert({
      blind_run_id: run.id,
      user_id: user.id,
      is_anonymous: false,
      outcome: 'all_good',
      ranking: ['openai/gpt-4o-mini'],
    });
    await deleteUser(user.id);
    expect(await db.models.ArenaVote.query().findById(vote.id)).toMatchObject({ user_id: null });
  });

  it('user → usage logs: set null (anonymous logs preserved)', async () => {
    const user = await makeUser(db);
    const log = await makeUsageLog(db, { user_id: user.id });
    await deleteUser(user.id);
    expect(await db.models.UsageLog.query().findById(log.id)).toMatchObject({ user_id: null });
  });

  it('user → admin action logs: set null on both admin_user_id and target_user_id', async () => {
    const admin = await makeUser(db, { role: 'admin', is_admin: true });
    const target = await makeUser(db);
    const log = await makeAdminActionLog(db, { admin_user_id: admin.id, target_user_id: target.id });
    await deleteUser(target.id);
    expect(await db.models.AdminActionLog.query().findById(log.id)).toMatchObject({
      admin_user_id: admin.id,
      target_user_id: null,
    });
    await deleteUser(admin.id);
    expect(await db.models.AdminActionLog.query().findById(log.id)).toMatchObject({
      admin_user_id: null,
      target_user_id: null,
    });
  });

  it('usage log → credit transactions: set null', async () => {
    const user = await makeUser(db);
    const log = await makeUsageLog(db, { user_id: user.id });
    const transaction = await makeCreditTransaction(db, { user_id: user.id, related_usage_log_id: log.id });
    expect(await db.models.UsageLog.query().deleteById(log.id)).toBe(1);
    expect(await db.models.CreditTransaction.query().findById(transaction.id)).toMatchObject({
      user_id: user.id,
      related_usage_log_id: null,
    });
  });
});
