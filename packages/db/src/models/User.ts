import type { ModelOptions, QueryContext, RelationMappings } from 'objection';
import { AdminActionLog } from './AdminActionLog';
import { BaseModel, type TimestampColumn } from './BaseModel';
import { Conversation } from './Conversation';
import { CreditTransaction } from './CreditTransaction';
import { PaymentTransaction } from './PaymentTransaction';
import { SubscriptionHistory } from './SubscriptionHistory';
import { UsageLog } from './UsageLog';
import { UserPreference } from './UserPreference';

export class User extends BaseModel {
  static override tableName = 'users';
  static override timestampColumns: readonly TimestampColumn[] = ['created_at', 'updated_at'];
  static override dateColumns = [
    'verification_token_expires',
    'reset_token_expires',
    'subscription_start_date',
    'subscription_end_date',
    'billing_period_start',
    'billing_period_end',
    'credits_reset_at',
    'last_access',
  ];
  static override booleanColumns = ['is_verified', 'is_active', 'is_admin', 'mock_mode_enabled'];
  static override jsonAttributes = ['admin_permissions'];
  static override virtualAttributes = ['credits_remaining'];

  declare id: number;
  /** Always lower-cased and trimmed (see $beforeInsert); unique case-insensitively. */
  declare email: string;
  declare password_hash: string;
  declare is_verified: boolean;
  declare is_active: boolean;
  declare verification_token: string | null;
  declare verification_token_expires: Date | null;
  declare reset_token: string | null;
  declare reset_token_expires: Date | null;
  declare subscription_tier: string;
  declare subscription_status: string;
  declare subscription_period: string;
  declare subscription_start_date: Date | null;
  declare subscription_end_date: Date | null;
  declare role: string;
  declare is_admin: boolean;
  declare admin_permissions: string[] | null;
  declare mock_mode_enabled: boolean;
  declare stripe_customer_id: string | null;
  declare monthly_credits_allocated: number;
  declare credits_used_this_period: number;
  declare total_credits_used: number;
  declare billing_period_start: Date | null;
  declare billing_period_end: Date | null;
  declare credits_reset_at: Date | null;
  declare monthly_overage_count: number;
  /** A calendar date, 'YYYY-MM-DD'. */
  declare overage_reset_date: string | null;
  declare last_access: Date | null;
  declare created_at: Date;
  declare updated_at: Date;

  declare preference?: UserPreference;
  declare conversations?: Conversation[];
  declare usageLogs?: UsageLog[];
  declare creditTransactions?: CreditTransaction[];
  declare subscriptionHistory?: SubscriptionHistory[];
  declare paymentTransactions?: PaymentTransaction[];
  declare adminActionsTaken?: AdminActionLog[];
  declare adminActionsReceived?: AdminActionLog[];

  get credits_remaining(): number {
    return (this.monthly_credits_allocated ?? 0) - (this.credits_used_this_period ?? 0);
  }

  override $beforeInsert(context: QueryContext): void | Promise<void> {
    if (typeof this.email === 'string') this.email = normaliseEmail(this.email);
    this.syncIsAdmin();
    return super.$beforeInsert(context);
  }

  override $beforeUpdate(options: ModelOptions, context: QueryContext): void | Promise<void> {
    // A patch without `email` leaves it undefined here.
    if (typeof this.email === 'string') this.email = normaliseEmail(this.email);
    this.syncIsAdmin();
    return super.$beforeUpdate(options, context);
  }

  /**
   * The one place `is_admin` follows `role`: true exactly for admin and super_admin, on every insert and
   * every patch that sets the role (a patch without `role` leaves both alone).
   */
  private syncIsAdmin(): void {
    if (typeof this.role === 'string') this.is_admin = this.role === 'admin' || this.role === 'super_admin';
  }

  static override relationMappings = (): RelationMappings => ({
    preference: {
      relation: BaseModel.HasOneRelation,
      modelClass: UserPreference,
      join: { from: 'users.id', to: 'user_preferences.user_id' },
    },
    conversations: {
      relation: BaseModel.HasManyRelation,
      modelClass: Conversation,
      join: { from: 'users.id', to: 'conversations.user_id' },
    },
    usageLogs: {
      relation: BaseModel.HasManyRelation,
      modelClass: UsageLog,
      join: { from: 'users.id', to: 'usage_logs.user_id' },
    },
    creditTransactions: {
      relation: BaseModel.HasManyRelation,
      modelClass: CreditTransaction,
      join: { from: 'users.id', to: 'credit_transactions.user_id' },
    },
    subscriptionHistory: {
      relation: BaseModel.HasManyRelation,
      modelClass: SubscriptionHistory,
      join: { from: 'users.id', to: 'subscription_history.user_id' },
    },
    paymentTransactions: {
      relation: BaseModel.HasManyRelation,
      modelClass: PaymentTransaction,
      join: { from: 'users.id', to: 'payment_transactions.user_id' },
    },
    adminActionsTaken: {
      relation: BaseModel.HasManyRelation,
      modelClass: AdminActionLog,
      join: { from: 'users.id', to: 'admin_action_logs.admin_user_id' },
    },
    adminActionsReceived: {
      relation: BaseModel.HasManyRelation,
      modelClass: AdminActionLog,
      join: { from: 'users.id', to: 'admin_action_logs.target_user_id' },
    },
  });
}

/** The one spelling of an email address the database stores and looks up. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
