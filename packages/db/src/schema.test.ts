import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from './testing';

// The seed's schema (DATABASE.md) as data: [logical type, nullable].
type ColumnType =
  | 'int'
  | 'bigint'
  | 'bool'
  | 'text'
  | 'datetime'
  | 'date'
  | `string(${number})`
  | `decimal(${number},${number})`;
type ColumnSpec = readonly [ColumnType, boolean];

const NOT_NULL = false;
const NULL = true;
const id: ColumnSpec = ['int', NOT_NULL];
const createdAt: ColumnSpec = ['datetime', NOT_NULL];

const EXPECTED: Record<string, Record<string, ColumnSpec>> = {
  users: {
    id,
    email: ['string(255)', NOT_NULL],
    password_hash: ['string(255)', NOT_NULL],
    is_verified: ['bool', NOT_NULL],
    is_active: ['bool', NOT_NULL],
    verification_token: ['string(255)', NULL],
    verification_token_expires: ['datetime', NULL],
    reset_token: ['string(255)', NULL],
    reset_token_expires: ['datetime', NULL],
    subscription_tier: ['string(50)', NOT_NULL],
    subscription_status: ['string(50)', NOT_NULL],
    subscription_period: ['string(20)', NOT_NULL],
    subscription_start_date: ['datetime', NULL],
    subscription_end_date: ['datetime', NULL],
    role: ['string(50)', NOT_NULL],
    is_admin: ['bool', NOT_NULL],
    admin_permissions: ['text', NULL],
    mock_mode_enabled: ['bool', NOT_NULL],
    stripe_customer_id: ['string(255)', NULL],
    monthly_credits_allocated: ['int', NOT_NULL],
    credits_used_this_period: ['int', NOT_NULL],
    total_credits_used: ['int', NOT_NULL],
    billing_period_start: ['datetime', NULL],
    billing_period_end: ['datetime', NULL],
    credits_reset_at: ['datetime', NULL],
    monthly_overage_count: ['int', NOT_NULL],
    overage_reset_date: ['date', NULL],
    last_access: ['datetime', NULL],
    created_at: createdAt,
    updated_at: createdAt,
  },
  user_preferences: {
    id,
    user_id: ['int', NOT_NULL],
    preferred_models: ['text', NOT_NULL],
    theme: ['string(50)', NOT_NULL],
    email_notifications: ['bool', NOT_NULL],
    usage_alerts: ['bool', NOT_NULL],
    timezone: ['string(50)', NULL],
    created_at: createdAt,
    updated_at: createdAt,
  },
  conversations: {
    id,
    user_id: ['int', NOT_NULL],
    title: ['string(255)', NULL],
    input_data: ['text', NOT_NULL],
    models_used: ['text', NOT_NULL],
    conversation_type: ['string(20)', NOT_NULL],
    parent_conversation_id: ['int', NULL],
    breakout_model_id: ['string(255)', NULL],
    created_at: createdAt,
    updated_at: createdAt,
  },
  conversation_messages: {
    id,
    conversation_id: ['int', NOT_NULL],
    model_id: ['string(255)', NULL],
    role: ['string(20)', NOT_NULL],
    content: ['text', NOT_NULL],
    input_tokens: ['int', NULL],
    output_tokens: ['int', NULL],
    success: ['bool', NOT_NULL],
    processing_time_ms: ['int', NULL],
    created_at: createdAt,
  },
  usage_logs: {
    id,
    user_id: ['int', NULL],
    ip_address: ['string(45)', NULL],
    browser_fingerprint: ['string(64)', NULL],
    models_used: ['text', NOT_NULL],
    input_length: ['int', NOT_NULL],
    models_requested: ['int', NOT_NULL],
    models_successful: ['int', NOT_NULL],
    models_failed: ['int', NOT_NULL],
    processing_time_ms: ['int', NULL],
    input_tokens: ['int', NULL],
    output_tokens: ['int', NULL],
    total_tokens: ['int', NULL],
    effective_tokens: ['int', NULL],
    credits_used: ['decimal(10,4)', NULL],
    actual_cost: ['decimal(10,4)', NULL],
    estimated_cost: ['decimal(10,4)', NULL],
    is_overage: ['bool', NOT_NULL],
    overage_charge: ['decimal(10,4)', NOT_NULL],
    created_at: createdAt,
  },
  credit_transactions: {
    id,
    user_id: ['int', NOT_NULL],
    transaction_type: ['string(50)', NOT_NULL],
    credits_amount: ['int', NOT_NULL],
    description: ['text', NULL],
    related_usage_log_id: ['int', NULL],
    created_at: createdAt,
  },
  usage_log_monthly_aggregates: {
    id,
    year: ['int', NOT_NULL],
    month: ['int', NOT_NULL],
    total_comparisons: ['int', NOT_NULL],
    total_models_requested: ['int', NOT_NULL],
    total_models_successful: ['int', NOT_NULL],
    total_models_failed: ['int', NOT_NULL],
    total_input_tokens: ['bigint', NOT_NULL],
    total_output_tokens: ['bigint', NOT_NULL],
    total_effective_tokens: ['bigint', NOT_NULL],
    avg_input_tokens: ['decimal(14,4)', NOT_NULL],
    avg_output_tokens: ['decimal(14,4)', NOT_NULL],
    avg_output_ratio: ['decimal(14,4)', NOT_NULL],
    total_credits_used: ['decimal(14,4)', NOT_NULL],
    avg_credits_per_comparison: ['decimal(14,4)', NOT_NULL],
    total_actual_cost: ['decimal(14,4)', NOT_NULL],
    total_estimated_cost: ['decimal(14,4)', NOT_NULL],
    model_breakdown: ['text', NULL],
    created_at: createdAt,
    updated_at: createdAt,
  },
  subscription_history: {
    id,
    user_id: ['int', NOT_NULL],
    previous_tier: ['string(50)', NULL],
    new_tier: ['string(50)', NOT_NULL],
    period: ['string(20)', NULL],
    amount_paid: ['decimal(10,2)', NULL],
    stripe_payment_id: ['string(255)', NULL],
    reason: ['string(100)', NULL],
    created_at: createdAt,
  },
  payment_transactions: {
    id,
    user_id: ['int', NOT_NULL],
    stripe_payment_intent_id: ['string(255)', NULL],
    amount: ['decimal(10,2)', NOT_NULL],
    currency: ['string(3)', NOT_NULL],
    status: ['string(50)', NOT_NULL],
    description: ['text', NULL],
    created_at: createdAt,
  },
  admin_action_logs: {
    id,
    admin_user_id: ['int', NULL],
    target_user_id: ['int', NULL],
    action_type: ['string(100)', NOT_NULL],
    action_description: ['text', NOT_NULL],
    details: ['text', NULL],
    ip_address: ['string(45)', NULL],
    user_agent: ['text', NULL],
    created_at: createdAt,
  },
  app_settings: {
    id,
    anonymous_mock_mode_enabled: ['bool', NOT_NULL],
    active_search_provider: ['string(50)', NULL],
    search_provider_config: ['text', NULL],
    web_search_enabled: ['bool', NOT_NULL],
    created_at: createdAt,
    updated_at: createdAt,
  },
};

// "table.column -> referenced table, ON DELETE rule": the ten rules of the seed's "Cascading Deletes".
const EXPECTED_FOREIGN_KEYS = [
  'admin_action_logs.admin_user_id -> users ON DELETE SET NULL',
  'admin_action_logs.target_user_id -> users ON DELETE SET NULL',
  'conversation_messages.conversation_id -> conversations ON DELETE CASCADE',
  'conversations.parent_conversation_id -> conversations ON DELETE SET NULL',
  'conversations.user_id -> users ON DELETE CASCADE',
  'credit_transactions.related_usage_log_id -> usage_logs ON DELETE SET NULL',
  'credit_transactions.user_id -> users ON DELETE CASCADE',
  'payment_transactions.user_id -> users ON DELETE CASCADE',
  'subscription_history.user_id -> users ON DELETE CASCADE',
  'usage_logs.user_id -> users ON DELETE SET NULL',
  'user_preferences.user_id -> users ON DELETE CASCADE',
];

interface ActualColumn {
  type: string;
  nullable: boolean;
}

interface IndexInfo {
  table: string;
  name: string;
  unique: boolean;
  /** null for an expression such as lower(email). */
  columns: Array<string | null>;
}

async function readColumns(db: TestDb, table: string): Promise<Record<string, ActualColumn>> {
  const columns: Record<string, ActualColumn> = {};
  if (db.dialect === 'pg') {
    const rows: Array<{
      column_name: string;
      data_type: string;
      is_nullable: string;
      character_maximum_length: number | null;
      numeric_precision: number | null;
      numeric_scale: number | null;
    }> = await db
      .knex('information_schema.columns')
      .select(
        'column_name',
        'data_type',
        'is_nullable',
        'character_maximum_length',
        'numeric_precision',
        'numeric_scale',
      )
      .where({ table_name: table })
      .whereRaw('table_schema = current_schema()');
    for (const row of rows) {
      columns[row.column_name] = { type: pgLogicalType(row), nullable: row.is_nullable === 'YES' };
    }
  } else {
    const rows: Array<{ name: string; type: string; notnull: number; pk: number }> = await db.knex.raw(
      'select name, type, "notnull", pk from pragma_table_info(?)',
      [table],
    );
    for (const row of rows) {
      columns[row.name] = {
        type: sqliteLogicalType(row.type.toLowerCase()),
        nullable: row.notnull === 0 && row.pk === 0,
      };
    }
  }
  return columns;
}

function pgLogicalType(row: {
  data_type: string;
  character_maximum_length: number | null;
  numeric_precision: number | null;
  numeric_scale: number | null;
}): string {
  switch (row.data_type) {
    case 'integer':
      return 'int';
    case 'bigint':
      return 'bigint';
    case 'boolean':
      return 'bool';
    case 'text':
      return 'text';
    case 'timestamp with time zone':
      return 'datetime';
    case 'date':
      return 'date';
    case 'character varying':
      return `string(${row.character_maximum_length})`;
    case 'numeric':
      return `decimal(${row.numeric_precision},${row.numeric_scale})`;
    default:
      return `unexpected ${row.data_type}`;
  }
}

// knex's SQLite types; SQLite keeps no precision for decimals (knex declares them `float`, REAL affinity).
function sqliteLogicalType(declared: string): string {
  const varchar = /^varchar\((\d+)\)$/.exec(declared);
  if (varchar) return `string(${varchar[1]})`;
  const known: Record<string, string> = {
    integer: 'int',
    bigint: 'bigint',
    boolean: 'bool',
    text: 'text',
    datetime: 'datetime',
    date: 'date',
    float: 'decimal',
  };
  return known[declared] ?? `unexpected ${declared}`;
}

async function readForeignKeys(db: TestDb): Promise<string[]> {
  if (db.dialect === 'pg') {
    const rows: Array<{ table_name: string; column_name: string; referenced: string; rule: string }> = (
      await db.knex.raw(`
        select c.conrelid::regclass::text as table_name, a.attname as column_name,
               c.confrelid::regclass::text as referenced,
               case c.confdeltype when 'c' then 'CASCADE' when 'n' then 'SET NULL' when 'r' then 'RESTRICT'
                                  when 'd' then 'SET DEFAULT' else 'NO ACTION' end as rule
        from pg_constraint c
        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
        where c.contype = 'f' and c.connamespace = current_schema()::regnamespace`)
    ).rows;
    return rows
      .map((row) => `${row.table_name}.${row.column_name} -> ${row.referenced} ON DELETE ${row.rule}`)
      .sort();
  }
  const rows: Array<{ table_name: string; from: string; table: string; on_delete: string }> =
    await db.knex.raw(`
    select m.name as table_name, fk."from", fk."table", fk.on_delete
    from sqlite_master m join pragma_foreign_key_list(m.name) fk
    where m.type = 'table'`);
  return rows.map((row) => `${row.table_name}.${row.from} -> ${row.table} ON DELETE ${row.on_delete}`).sort();
}

async function readIndexes(db: TestDb): Promise<IndexInfo[]> {
  if (db.dialect === 'pg') {
    const rows: Array<{
      table_name: string;
      index_name: string;
      is_unique: boolean;
      columns: Array<string | null>;
    }> = (
      await db.knex.raw(`
        select t.relname as table_name, i.relname as index_name, ix.indisunique as is_unique,
               array(select a.attname from unnest(ix.indkey) with ordinality as k(attnum, ord)
                     left join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
                     order by k.ord)::text[] as columns
        from pg_index ix
        join pg_class t on t.oid = ix.indrelid
        join pg_class i on i.oid = ix.indexrelid
        where t.relnamespace = current_schema()::regnamespace`)
    ).rows;
    return rows.map((row) => ({
      table: row.table_name,
      name: row.index_name,
      unique: row.is_unique,
      columns: row.columns,
    }));
  }
  const rows: Array<{
    table_name: string;
    index_name: string;
    is_unique: number;
    column_name: string | null;
  }> = await db.knex.raw(`
      select m.name as table_name, il.name as index_name, il."unique" as is_unique, ii.name as column_name
      from sqlite_master m
      join pragma_index_list(m.name) il
      join pragma_index_info(il.name) ii
      where m.type = 'table'
      order by m.name, il.name, ii.seqno`);
  const byName = new Map<string, IndexInfo>();
  for (const row of rows) {
    const index = byName.get(row.index_name) ?? {
      table: row.table_name,
      name: row.index_name,
      unique: row.is_unique === 1,
      columns: [],
    };
    index.columns.push(row.column_name);
    byName.set(row.index_name, index);
  }
  return [...byName.values()];
}

describe('schema', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db.cleanup();
  });

  it.each(Object.keys(EXPECTED))('%s has exactly the seed columns, types and nullability', async (table) => {
    const expected = EXPECTED[table] ?? {};
    const actual = await readColumns(db, table);
    const expectedShape = Object.fromEntries(
      Object.entries(expected).map(([column, [type, nullable]]) => [
        column,
        // SQLite keeps no precision or scale for decimals.
        { type: db.dialect === 'sqlite' && type.startsWith('decimal') ? 'decimal' : type, nullable },
      ]),
    );
    expect(actual).toEqual(expectedShape);
  });

  it('has every foreign key of the seed tables with its ON DELETE rule, and no others', async () => {
    // Tables added after the seed (e.g. sessions) are checked by their own tests.
    const seedTables = new Set(Object.keys(EXPECTED));
    const actual = (await readForeignKeys(db)).filter((fk) => seedTables.has(fk.split('.')[0] ?? ''));
    expect(actual).toEqual(EXPECTED_FOREIGN_KEYS);
  });

  it('indexes every foreign key column (as the leading column of some index)', async () => {
    const indexes = await readIndexes(db);
    for (const foreignKey of EXPECTED_FOREIGN_KEYS) {
      const [table, column] = foreignKey.split(' ')[0]?.split('.') ?? [];
      const leading = indexes.filter((index) => index.table === table && index.columns[0] === column);
      expect(leading, `${table}.${column}`).not.toHaveLength(0);
    }
  });

  it('has the unique and query indexes of the contract', async () => {
    const indexes = await readIndexes(db);
    const shape = (name: string) => {
      const index = indexes.find((candidate) => candidate.name === name);
      return index && { table: index.table, unique: index.unique, columns: index.columns };
    };
    expect(shape('users_email_unique')).toEqual({ table: 'users', unique: true, columns: ['email'] });
    expect(shape('users_email_lower_unique')).toEqual({ table: 'users', unique: true, columns: [null] });
    expect(shape('user_preferences_user_id_unique')).toEqual({
      table: 'user_preferences',
      unique: true,
      columns: ['user_id'],
    });
    expect(shape('usage_log_monthly_aggregates_year_month_unique')).toEqual({
      table: 'usage_log_monthly_aggregates',
      unique: true,
      columns: ['year', 'month'],
    });
    expect(shape('usage_logs_created_at_index')).toEqual({
      table: 'usage_logs',
      unique: false,
      columns: ['created_at'],
    });
    expect(shape('conversations_user_id_updated_at_index')).toEqual({
      table: 'conversations',
      unique: false,
      columns: ['user_id', 'updated_at'],
    });
  });

  it('fills the contract defaults for a row inserted with raw SQL', async () => {
    await db.knex('users').insert({ email: 'raw-defaults@example.test', password_hash: 'x' });
    const [user] = await db.models.User.query().where('email', 'raw-defaults@example.test');
    expect(user).toMatchObject({
      is_verified: false,
      is_active: true,
      is_admin: false,
      mock_mode_enabled: false,
      subscription_tier: 'free',
      subscription_status: 'active',
      subscription_period: 'monthly',
      role: 'user',
      monthly_credits_allocated: 0,
      credits_used_this_period: 0,
      total_credits_used: 0,
      monthly_overage_count: 0,
      admin_permissions: null,
    });
    expect(user?.created_at).toBeInstanceOf(Date);
    expect(Math.abs((user?.created_at.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
  });
});
