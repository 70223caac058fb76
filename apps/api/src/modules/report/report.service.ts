import type { Db } from '@fascia/db';
import type { Tenant } from '../../context';
import type { ReportScope, ReportType } from './report.types';

export const REPORT_NAMES = ['utilisation', 'attendance', 'plan-sessions', 'outcomes', 'outcome-distribution', 'reassessment-timeliness', 'referral-flow', 'retention', 'clients'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export class ReportService {
  constructor(private readonly db: Db) {}

  report(_tenant: Tenant, name: ReportName, _scope: ReportScope): Promise<ReportType> {
    void this.db;
    return Promise.reject(new Error(`The ${name} report is not built yet.`));
  }
}
