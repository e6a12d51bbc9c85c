import type { PartialModelObject } from 'objection';
import type { Db } from './client';
import type {
  AdminActionLog,
  Conversation,
  ConversationMessage,
  CreditTransaction,
  PaymentTransaction,
  SubscriptionHistory,
  UsageLog,
  User,
  UserPreference,
} from './models';

// Test data with unique values, so tests never depend on each other's rows or on insertion order.

let sequence = 0;

export function uniqueValue(prefix: string): string {
  sequence += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${sequence}`;
}

export async function makeUser(db: Db, overrides: PartialModelObject<User> = {}): Promise<User> {
  return await db.models.User.query().insertAndFetch({
    email: `${uniqueValue('user')}@example.test`,
    password_hash: 'test-password-hash',
    ...overrides,
  });
}

export async function makePreference(
  db: Db,
  overrides: PartialModelObject<UserPreference> = {},
): Promise<UserPreference> {
  const userId = overrides.user_id ?? (await makeUser(db)).id;
  return db.models.UserPreference.query().insertAndFetch({ user_id: userId, ...overrides });
}

export async function makeConversation(
  db: Db,
  overrides: PartialModelObject<Conversation> = {},
): Promise<Conversation> {
  const userId = overrides.user_id ?? (await makeUser(db)).id;
  return db.models.Conversation.query().insertAndFetch({
    user_id: userId,
    input_data: uniqueValue('prompt'),
    models_used: ['openai/gpt-4o-mini', 'anthropic/claude-3.5-haiku'],
    ...overrides,
  });
}

export async function makeMessage(
  db: Db,
  overrides: PartialModelObject<ConversationMessage> = {},
): Promise<ConversationMessage> {
  const conversationId = overrides.conversation_id ?? (await makeConversation(db)).id;
  return db.models.ConversationMessage.query().insertAndFetch({
    conversation_id: conversationId,
    role: 'user',
    content: uniqueValue('message'),
    ...overrides,
  });
}

export async function makeUsageLog(db: Db, overrides: PartialModelObject<UsageLog> = {}): Promise<UsageLog> {
  return await db.models.UsageLog.query().insertAndFetch({
    models_used: ['openai/gpt-4o-mini'],
    models_requested: 1,
    models_successful: 1,
    ...overrides,
  });
}

export async function makeCreditTransaction(
  db: Db,
  overrides: PartialModelObject<CreditTransaction> = {},
): Promise<CreditTransaction> {
  const userId = overrides.user_id ?? (await makeUser(db)).id;
  return db.models.CreditTransaction.query().insertAndFetch({
    user_id: userId,
    transaction_type: 'usage',
    credits_amount: -5,
    ...overrides,
  });
}

export async function makeSubscriptionHistory(
  db: Db,
  overrides: PartialModelObject<SubscriptionHistory> = {},
): Promise<SubscriptionHistory> {
  const userId = overrides.user_id ?? (await makeUser(db)).id;
  return db.models.SubscriptionHistory.query().insertAndFetch({
    user_id: userId,
    previous_tier: 'free',
    new_tier: 'starter',
    reason: 'upgrade',
    ...overrides,
  });
}

export async function makePaymentTransaction(
  db: Db,
  overrides: PartialModelObject<PaymentTransaction> = {},
): Promise<PaymentTransaction> {
  const userId = overrides.user_id ?? (await makeUser(db)).id;
  return db.models.PaymentTransaction.query().insertAndFetch({
    user_id: userId,
    stripe_payment_intent_id: uniqueValue('pi'),
    amount: 9.99,
    status: 'succeeded',
    ...overrides,
  });
}

export async function makeAdminActionLog(
  db: Db,
  overrides: PartialModelObject<AdminActionLog> = {},
): Promise<AdminActionLog> {
  return await db.models.AdminActionLog.query().insertAndFetch({
    action_type: 'user_update',
    action_description: uniqueValue('action'),
    ...overrides,
  });
}
