import type { Knex } from 'knex';
import type { ModelObject } from 'objection';
import { AdminActionLog } from './AdminActionLog';
import { AppSetting } from './AppSetting';
import { ArenaVote } from './ArenaVote';
import { BillingSubscription } from './BillingSubscription';
import { BlindRun } from './BlindRun';
import { Conversation } from './Conversation';
import { ConversationMessage } from './ConversationMessage';
import { ConversationPin } from './ConversationPin';
import { CreditHold } from './CreditHold';
import { CreditTransaction } from './CreditTransaction';
import { JobRun } from './JobRun';
import { MessageDetail } from './MessageDetail';
import { MessageSource } from './MessageSource';
import { MessageToolCall } from './MessageToolCall';
import { ModelAvailability } from './ModelAvailability';
import { OverageCharge } from './OverageCharge';
import { OverageSetting } from './OverageSetting';
import { PaymentTransaction } from './PaymentTransaction';
import { Session } from './Session';
import { SharedLink } from './SharedLink';
import { StripeEvent } from './StripeEvent';
import { SubscriptionHistory } from './SubscriptionHistory';
import { UsageLog } from './UsageLog';
import { UsageLogModel } from './UsageLogModel';
import { UsageLogMonthlyAggregate } from './UsageLogMonthlyAggregate';
import { UsageLogWebSearch } from './UsageLogWebSearch';
import { User } from './User';
import { UserPreference } from './UserPreference';

export { BaseModel, type TimestampColumn } from './BaseModel';
export type { HoldModelProgress, HoldProgress, HoldWebProgress } from './CreditHold';
export { normaliseEmail } from './User';
export {
  AdminActionLog,
  AppSetting,
  ArenaVote,
  BillingSubscription,
  BlindRun,
  Conversation,
  ConversationMessage,
  ConversationPin,
  CreditHold,
  CreditTransaction,
  JobRun,
  MessageDetail,
  MessageSource,
  MessageToolCall,
  ModelAvailability,
  OverageCharge,
  OverageSetting,
  PaymentTransaction,
  Session,
  SharedLink,
  StripeEvent,
  SubscriptionHistory,
  UsageLog,
  UsageLogModel,
  UsageLogMonthlyAggregate,
  UsageLogWebSearch,
  User,
  UserPreference,
};

/** Every model class bound to one knex instance, so several databases can live in one process. */
export interface Models {
  User: typeof User;
  UserPreference: typeof UserPreference;
  Conversation: typeof Conversation;
  ConversationMessage: typeof ConversationMessage;
  UsageLog: typeof UsageLog;
  CreditTransaction: typeof CreditTransaction;
  UsageLogMonthlyAggregate: typeof UsageLogMonthlyAggregate;
  SubscriptionHistory: typeof SubscriptionHistory;
  PaymentTransaction: typeof PaymentTransaction;
  AdminActionLog: typeof AdminActionLog;
  AppSetting: typeof AppSetting;
  Session: typeof Session;
  CreditHold: typeof CreditHold;
  MessageDetail: typeof MessageDetail;
  ModelAvailability: typeof ModelAvailability;
  UsageLogModel: typeof UsageLogModel;
  JobRun: typeof JobRun;
  StripeEvent: typeof StripeEvent;
  BillingSubscription: typeof BillingSubscription;
  OverageSetting: typeof OverageSetting;
  OverageCharge: typeof OverageCharge;
  ConversationPin: typeof ConversationPin;
  MessageSource: typeof MessageSource;
  MessageToolCall: typeof MessageToolCall;
  UsageLogWebSearch: typeof UsageLogWebSearch;
  SharedLink: typeof SharedLink;
  BlindRun: typeof BlindRun;
  ArenaVote: typeof ArenaVote;
}

export function bindModels(knex: Knex): Models {
  return {
    User: User.bindKnex(knex),
    UserPreference: UserPreference.bindKnex(knex),
    Conversation: Conversation.bindKnex(knex),
    ConversationMessage: ConversationMessage.bindKnex(knex),
    UsageLog: UsageLog.bindKnex(knex),
    CreditTransaction: CreditTransaction.bindKnex(knex),
    UsageLogMonthlyAggregate: UsageLogMonthlyAggregate.bindKnex(knex),
    SubscriptionHistory: SubscriptionHistory.bindKnex(knex),
    PaymentTransaction: PaymentTransaction.bindKnex(knex),
    AdminActionLog: AdminActionLog.bindKnex(knex),
    AppSetting: AppSetting.bindKnex(knex),
    Session: Session.bindKnex(knex),
    CreditHold: CreditHold.bindKnex(knex),
    MessageDetail: MessageDetail.bindKnex(knex),
    ModelAvailability: ModelAvailability.bindKnex(knex),
    UsageLogModel: UsageLogModel.bindKnex(knex),
    JobRun: JobRun.bindKnex(knex),
    StripeEvent: StripeEvent.bindKnex(knex),
    BillingSubscription: BillingSubscription.bindKnex(knex),
    OverageSetting: OverageSetting.bindKnex(knex),
    OverageCharge: OverageCharge.bindKnex(knex),
    ConversationPin: ConversationPin.bindKnex(knex),
    MessageSource: MessageSource.bindKnex(knex),
    MessageToolCall: MessageToolCall.bindKnex(knex),
    UsageLogWebSearch: UsageLogWebSearch.bindKnex(knex),
    SharedLink: SharedLink.bindKnex(knex),
    BlindRun: BlindRun.bindKnex(knex),
    ArenaVote: ArenaVote.bindKnex(knex),
  };
}

// Plain-object shapes of the rows (data properties only, relations optional), for function signatures.
export type UserRow = ModelObject<User>;
export type UserPreferenceRow = ModelObject<UserPreference>;
export type ConversationRow = ModelObject<Conversation>;
export type ConversationMessageRow = ModelObject<ConversationMessage>;
export type UsageLogRow = ModelObject<UsageLog>;
export type CreditTransactionRow = ModelObject<CreditTransaction>;
export type UsageLogMonthlyAggregateRow = ModelObject<UsageLogMonthlyAggregate>;
export type SubscriptionHistoryRow = ModelObject<SubscriptionHistory>;
export type PaymentTransactionRow = ModelObject<PaymentTransaction>;
export type AdminActionLogRow = ModelObject<AdminActionLog>;
export type AppSettingRow = ModelObject<AppSetting>;
export type SessionRow = ModelObject<Session>;
export type CreditHoldRow = ModelObject<CreditHold>;
export type MessageDetailRow = ModelObject<MessageDetail>;
export type ModelAvailabilityRow = ModelObject<ModelAvailability>;
export type UsageLogModelRow = ModelObject<UsageLogModel>;
export type JobRunRow = ModelObject<JobRun>;
export type StripeEventRow = ModelObject<StripeEvent>;
export type BillingSubscriptionRow = ModelObject<BillingSubscription>;
export type OverageSettingRow = ModelObject<OverageSetting>;
export type OverageChargeRow = ModelObject<OverageCharge>;
export type ConversationPinRow = ModelObject<ConversationPin>;
export type MessageSourceRow = ModelObject<MessageSource>;
export type MessageToolCallRow = ModelObject<MessageToolCall>;
export type UsageLogWebSearchRow = ModelObject<UsageLogWebSearch>;
export type SharedLinkRow = ModelObject<SharedLink>;
export type BlindRunRow = ModelObject<BlindRun>;
export type ArenaVoteRow = ModelObject<ArenaVote>;
