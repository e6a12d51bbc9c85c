import { Model, type ModelOptions, type Pojo, type QueryContext } from 'objection';

export type TimestampColumn = 'created_at' | 'updated_at';

/**
 * Conversions between the database and model instances, the same for SQLite and PostgreSQL:
 * - timestamps: written as ISO-8601 UTC strings, read back as `Date` (SQLite keeps the text, PG timestamptz);
 * - booleans: SQLite's 0/1 read back as `true`/`false`;
 * - decimals: written as `value.toFixed(scale)`, read back as numbers rounded to that scale;
 * - JSON-in-text: objection's `jsonAttributes` (set on every model, so objection never guesses).
 * Each model declares which of its columns need which conversion in the statics below.
 */
export class BaseModel extends Model {
  /** The table's created_at / updated_at: filled in on insert and update, read back as `Date`. */
  static timestampColumns: readonly TimestampColumn[] = ['created_at'];
  /** Other DateTime columns, read back as `Date`. */
  static dateColumns: readonly string[] = [];
  static booleanColumns: readonly string[] = [];
  /** DECIMAL columns and their scale (digits after the point). */
  static decimalColumns: Readonly<Record<string, number>> = {};
  static override jsonAttributes: string[] = [];

  override $beforeInsert(context: QueryContext): void | Promise<void> {
    const now = new Date();
    for (const column of modelClassOf(this).timestampColumns) {
      // An explicit value wins: imports and tests may need to backdate rows.
      if (Reflect.get(this, column) === undefined) this.$set({ [column]: now });
    }
    return super.$beforeInsert(context);
  }

  override $beforeUpdate(options: ModelOptions, context: QueryContext): void | Promise<void> {
    if (modelClassOf(this).timestampColumns.includes('updated_at')) this.$set({ updated_at: new Date() });
    return super.$beforeUpdate(options, context);
  }

  /** Input (insert / patch objects) gets its decimals rounded too, so the instance holds what the row holds. */
  override $parseJson(json: Pojo, options?: ModelOptions): Pojo {
    const parsed = super.$parseJson(json, options);
    for (const [column, scale] of Object.entries(modelClassOf(this).decimalColumns)) {
      const value: unknown = parsed[column];
      if (typeof value === 'number') parsed[column] = roundToScale(value, scale);
    }
    return parsed;
  }

  override $formatDatabaseJson(json: Pojo): Pojo {
    const formatted = super.$formatDatabaseJson(json);
    for (const [column, value] of Object.entries(formatted)) {
      if (value instanceof Date) formatted[column] = value.toISOString();
    }
    for (const [column, scale] of Object.entries(modelClassOf(this).decimalColumns)) {
      const value: unknown = formatted[column];
      if (typeof value === 'number') formatted[column] = value.toFixed(scale);
    }
    return formatted;
  }

  override $parseDatabaseJson(json: Pojo): Pojo {
    const parsed = super.$parseDatabaseJson(json);
    const modelClass = modelClassOf(this);
    for (const column of [...modelClass.timestampColumns, ...modelClass.dateColumns]) {
      const value: unknown = parsed[column];
      if (typeof value === 'string' || typeof value === 'number') parsed[column] = parseTimestamp(value);
    }
    for (const column of modelClass.booleanColumns) {
      const value: unknown = parsed[column];
      if (typeof value === 'number' || typeof value === 'bigint')
        parsed[column] = value !== 0 && value !== 0n;
    }
    for (const [column, scale] of Object.entries(modelClass.decimalColumns)) {
      const value: unknown = parsed[column];
      if (typeof value === 'number' || typeof value === 'string') parsed[column] = roundToScale(value, scale);
    }
    return parsed;
  }
}

function modelClassOf(model: BaseModel): typeof BaseModel {
  // Objection types `$modelClass` as ModelClass<this>, which does not carry the column statics declared
  // above; every instance here is constructed by a subclass of BaseModel, so its constructor is one.
  return model.constructor as typeof BaseModel;
}

// SQLite's own CURRENT_TIMESTAMP text ('2025-11-25 14:03:07') carries no zone but is UTC.
const ZONELESS_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

export function parseTimestamp(value: string | number): Date {
  if (typeof value === 'number') return new Date(value);
  return new Date(ZONELESS_TIMESTAMP.test(value) ? `${value.replace(' ', 'T')}Z` : value);
}

/** 0.30000000000000004 → 0.3 at scale 4: a DECIMAL(p, s) value is exact to s digits and no further. */
export function roundToScale(value: number | string, scale: number): number {
  const numeric = typeof value === 'number' ? value : Number.parseFloat(value);
  return Number(numeric.toFixed(scale));
}
