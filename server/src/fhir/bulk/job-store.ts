import { Op, type Sequelize } from 'sequelize';
import type { ExportCheckpoint } from './checkpoint.js';
import { bulkModels, type BulkFileRow, type BulkJobRow, type BulkJobState, type BulkModels } from './models.js';
import type { ExportFile } from './ndjson-writer.js';

export type NewJob = Pick<BulkJobRow, 'id' | 'clientId' | 'subject' | 'kind' | 'groupId' | 'requestUrl' | 'params' | 'transactionTime' | 'createdAt' | 'expiresAt'>;

const active: BulkJobState[] = ['queued', 'running'];

/** The bulk_jobs and bulk_files tables; the only place that queries them. */
export class BulkJobStore {
  private readonly models: BulkModels;

  constructor(private readonly sequelize: Sequelize) {
    this.models = bulkModels(sequelize);
  }

  /** Stores a queued job unless the client already has `maxActive` queued or running; false then. */
  async create(job: NewJob, maxActive: number): Promise<boolean> {
    return this.sequelize.transaction(async (transaction) => {
      const running = await this.models.BulkJob.count({ where: { clientId: job.clientId, state: { [Op.in]: active } }, transaction });
      if (running >= maxActive) return false;
      await this.models.BulkJob.create({ ...job, state: 'queued' }, { transaction });
      return true;
    });
  }

  get(id: string): Promise<BulkJobRow | null> {
    return this.models.BulkJob.findByPk(id);
  }

  async state(id: string): Promise<BulkJobState | undefined> {
    return (await this.models.BulkJob.findByPk(id, { attributes: ['state'] }))?.state;
  }

  /** Takes the oldest queued job for this worker; the conditional update keeps two workers from taking the same one. */
  async claimNext(): Promise<BulkJobRow | undefined> {
    const next = await this.models.BulkJob.findOne({ where: { state: 'queued' }, order: [['createdAt', 'ASC']] });
    if (!next) return undefined;
    const [taken] = await this.models.BulkJob.update({ state: 'running' }, { where: { id: next.id, state: 'queued' } });
    return taken ? next : this.claimNext();
  }

  /** Jobs a stopped process left running are queued again; they resume from their checkpoint. */
  async requeueRunning(): Promise<number> {
    const [count] = await this.models.BulkJob.update({ state: 'queued' }, { where: { state: 'running' } });
    return count;
  }

  /** Records how far a running job has got; false when it is no longer running (cancelled). */
  async saveCheckpoint(id: string, checkpoint: ExportCheckpoint, progress: number): Promise<boolean> {
    const [updated] = await this.models.BulkJob.update({ checkpoint: JSON.stringify(checkpoint), progress }, { where: { id, state: 'running' } });
    return updated > 0;
  }

  async setQueued(id: string): Promise<void> {
    await this.models.BulkJob.update({ state: 'queued' }, { where: { id, state: 'running' } });
  }

  /** Records the files and completes the job, unless it was cancelled meanwhile (false then). */
  async complete(id: string, files: ExportFile[], retentionMs: number): Promise<boolean> {
    const outputs = summarize(files);
    return this.sequelize.transaction(async (transaction) => {
      await this.models.BulkFile.destroy({ where: { jobId: id }, transaction });
      await this.models.BulkFile.bulkCreate(files.map((file) => ({ ...file, jobId: id })), { transaction });
      const now = new Date();
      const [updated] = await this.models.BulkJob.update(
        { state: 'completed', progress: 100, outputs: JSON.stringify(outputs), checkpoint: null, completedAt: now, expiresAt: new Date(now.getTime() + retentionMs) },
        { where: { id, state: 'running' }, transaction },
      );
      return updated > 0;
    });
  }

  async fail(id: string, error: string): Promise<void> {
    await this.models.BulkJob.update({ state: 'failed', error, completedAt: new Date() }, { where: { id, state: 'running' } });
  }

  async cancel(id: string): Promise<void> {
    await this.models.BulkJob.update({ state: 'cancelled', completedAt: new Date() }, { where: { id } });
  }

  files(jobId: string): Promise<BulkFileRow[]> {
    return this.models.BulkFile.findAll({ where: { jobId }, order: [['type', 'ASC'], ['path', 'ASC']] });
  }

  file(id: string): Promise<BulkFileRow | null> {
    return this.models.BulkFile.findByPk(id);
  }

  /** Jobs past their expiry that no worker is writing. */
  expired(now: Date): Promise<BulkJobRow[]> {
    return this.models.BulkJob.findAll({ where: { expiresAt: { [Op.lt]: now }, state: { [Op.ne]: 'running' } } });
  }

  async remove(id: string): Promise<void> {
    await this.sequelize.transaction(async (transaction) => {
      await this.models.BulkFile.destroy({ where: { jobId: id }, transaction });
      await this.models.BulkJob.destroy({ where: { id }, transaction });
    });
  }

  /** Newest first, for the admin GUI. */
  list(limit: number): Promise<{ rows: BulkJobRow[]; count: number }> {
    return this.models.BulkJob.findAndCountAll({ order: [['createdAt', 'DESC']], limit });
  }
}

/** Per type: lines and files (the admin list's `outputs`). */
function summarize(files: readonly ExportFile[]): { type: string; count: number; files: number }[] {
  const byType = new Map<string, { type: string; count: number; files: number }>();
  for (const file of files) {
    const entry = byType.get(file.type) ?? { type: file.type, count: 0, files: 0 };
    entry.count += file.count;
    entry.files += 1;
    byType.set(file.type, entry);
  }
  return [...byType.values()];
}
