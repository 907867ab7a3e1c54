import { z } from 'zod';
import type { FoundationModels } from '../db/models/foundation.js';
import type { Logger } from '../log.js';

/** Each setting with its default; a stored value that fails its schema is replaced by the default. */
const settingSchemas = {
  siteAddress: z.string().nullable().default(null),
  practiceName: z.string().min(1).max(200).default('InPracSys EHR'),
  accessTokenLifetimeSeconds: z.number().int().min(60).max(3600).default(3600),
  refreshTokenLifetimeDays: z.number().int().min(91).max(3650).default(120),
  apiEnabled: z.boolean().default(true),
  registrationRateLimitPerHour: z.number().int().min(1).max(100_000).default(100),
  /** Bulk Data export: resources per NDJSON file before the next file starts. */
  bulkExportResourcesPerFile: z.number().int().min(1).max(10_000_000).default(100_000),
  /** Bulk Data export: hours a completed export's files stay available. */
  bulkExportRetentionHours: z.number().int().min(1).max(8760).default(24),
};

const settingsSchema = z.object(settingSchemas);
export type Settings = z.infer<typeof settingsSchema>;
export type SettingKey = keyof Settings;
const settingKeys = Object.keys(settingSchemas) as SettingKey[];

/** The practice's settings: read once at start, cached, written through on change. */
export class SettingsStore {
  private current: Settings = settingsSchema.parse({});

  constructor(
    private readonly models: FoundationModels,
    private readonly log: Logger,
  ) {}

  async load(): Promise<Settings> {
    const rows = await this.models.Setting.findAll();
    const stored = new Map(rows.map((row) => [row.key, row.value]));
    const values: Record<string, unknown> = {};
    for (const key of settingKeys) {
      const raw = stored.get(key);
      if (raw === undefined) continue;
      const parsed = parseJson(raw);
      const checked = parsed.ok ? settingSchemas[key].safeParse(parsed.value) : undefined;
      if (checked?.success) {
        values[key] = checked.data;
      } else {
        this.log.warn({ setting: key }, 'stored setting was unreadable; reset to its default');
        await this.models.Setting.destroy({ where: { key } });
      }
    }
    this.current = settingsSchema.parse(values);
    return this.current;
  }

  get(): Settings {
    return this.current;
  }

  /** Validates the whole change first, so a bad value changes nothing. */
  async update(change: Partial<Settings>): Promise<Settings> {
    const next = settingsSchema.parse({ ...this.current, ...change });
    const sequelize = this.models.Setting.sequelize!;
    await sequelize.transaction(async (transaction) => {
      for (const key of Object.keys(change) as SettingKey[]) {
        await this.models.Setting.upsert({ key, value: JSON.stringify(next[key]) }, { transaction });
      }
    });
    this.current = next;
    return next;
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
