import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Callback, type Logs } from './callback.js';

export interface BackupAndRestoreOptions {
  /** 'epoch', or back up every N batches. */
  saveFreq?: 'epoch' | number;
  /** Delete the backup once training finishes normally. */
  deleteCheckpoint?: boolean;
}

/**
 * keras.callbacks.BackupAndRestore: backs up weights and the epoch counter in `backupDir`, and
 * on the next `fit` resumes from them (the fit loop reads `model.initialEpochOverride`).
 */
export class BackupAndRestore extends Callback {
  readonly backupDir: string;
  readonly saveFreq: 'epoch' | number;
  readonly deleteCheckpoint: boolean;
  private currentEpoch = 0;
  private batchesSinceSave = 0;

  constructor(backupDir: string, opts: BackupAndRestoreOptions = {}) {
    super();
    if (typeof backupDir !== 'string' || backupDir === '') {
      throw new Error(
        `BackupAndRestore expects a backup directory. Received: backupDir=${String(backupDir)}`,
      );
    }
    this.backupDir = backupDir;
    this.saveFreq = opts.saveFreq ?? 'epoch';
    this.deleteCheckpoint = opts.deleteCheckpoint ?? true;
    if (this.saveFreq !== 'epoch' && !(Number.isInteger(this.saveFreq) && this.saveFreq > 0)) {
      throw new Error(
        `Invalid value for saveFreq: expected 'epoch' or a positive integer. Received: saveFreq=${String(opts.saveFreq)}`,
      );
    }
  }

  get weightsPath(): string {
    return join(this.backupDir, 'latest.weights.h5');
  }

  get metadataPath(): string {
    return join(this.backupDir, 'training_metadata.json');
  }

  override async onTrainBegin(): Promise<void> {
    const model = this.model;
    if (!model) return;
    if (existsSync(this.weightsPath) && existsSync(this.metadataPath)) {
      await model.loadWeights(this.weightsPath);
      const meta = JSON.parse(readFileSync(this.metadataPath, 'utf8')) as { epoch?: number };
      this.currentEpoch = meta.epoch ?? 0;
      (model as { initialEpochOverride?: number | null }).initialEpochOverride = this.currentEpoch;
    }
  }

  override onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  override async onTrainBatchEnd(_batch: number, _logs?: Logs): Promise<void> {
    if (this.saveFreq === 'epoch') return;
    this.batchesSinceSave += 1;
    if (this.batchesSinceSave >= this.saveFreq) {
      this.batchesSinceSave = 0;
      // Mid-epoch backups resume at the start of the same epoch.
      await this.backup(this.currentEpoch);
    }
  }

  override async onEpochEnd(epoch: number): Promise<void> {
    if (this.saveFreq === 'epoch') await this.backup(epoch + 1);
  }

  private async backup(nextEpoch: number): Promise<void> {
    const model = this.model;
    if (!model) return;
    mkdirSync(this.backupDir, { recursive: true });
    await model.saveWeights(this.weightsPath, { overwrite: true });
    writeFileSync(this.metadataPath, JSON.stringify({ epoch: nextEpoch }));
  }

  override onTrainEnd(): void {
    // An interrupted run (an exception) never reaches here, so its backup survives for resuming.
    if (this.deleteCheckpoint) rmSync(this.backupDir, { recursive: true, force: true });
  }
}
