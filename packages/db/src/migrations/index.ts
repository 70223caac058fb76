import { Foundation1763800000000 } from './1763800000000-Foundation';
import { OutboxClaim1763900000000 } from './1763900000000-OutboxClaim';
import { ClinicalRecords1764000000000 } from './1764000000000-ClinicalRecords';
import { Reminders1764100000000 } from './1764100000000-Reminders';
import { DeliveryClaim1764200000000 } from './1764200000000-DeliveryClaim';
import { OnePractitionerPerLogin1764300000000 } from './1764300000000-OnePractitionerPerLogin';
import { QueueRole1764350000000 } from './1764350000000-QueueRole';
import { AuditCorrelation1764400000000 } from './1764400000000-AuditCorrelation';
import { InvitationTypedDetails1764410000000 } from './1764410000000-InvitationTypedDetails';
import { SignInLimit1764500000000 } from './1764500000000-SignInLimit';
import { BookingHorizon1764600000000 } from './1764600000000-BookingHorizon';
import { TenantSession1764700000000 } from './1764700000000-TenantSession';
import { IndexesAtScale1764710000000 } from './1764710000000-IndexesAtScale';
import { ExchangeRole1764800000000 } from './1764800000000-ExchangeRole';
import { Partnerships1764805000000 } from './1764805000000-Partnerships';
import { Referrals1764810000000 } from './1764810000000-Referrals';
import { ReferralClinicHours1764811000000 } from './1764811000000-ReferralClinicHours';
import { ReferralPartnerLock1764812000000 } from './1764812000000-ReferralPartnerLock';
import { ReferralMessages1764820000000 } from './1764820000000-ReferralMessages';
import { ClientSearchNationalPhone1764860000000 } from './1764860000000-ClientSearchNationalPhone';
import { AuditSearchClientConfirmation1764880000000 } from './1764880000000-AuditSearchClientConfirmation';
import { ChartTasksMyDay1764900000000 } from './1764900000000-ChartTasksMyDay';
import { DeadLetterRetry1764910000000 } from './1764910000000-DeadLetterRetry';
import { ReportRollups1764930000000 } from './1764930000000-ReportRollups';
import { ReferralFlowRollup1764940000000 } from './1764940000000-ReferralFlowRollup';
import { ReportDrainSetBased1764945000000 } from './1764945000000-ReportDrainSetBased';
import { ReportDrainReferrals1764946000000 } from './1764946000000-ReportDrainReferrals';
import { FhirExports1764950000000 } from './1764950000000-FhirExports';
import { FeedsAndWebhooks1764960000000 } from './1764960000000-FeedsAndWebhooks';
import { ExchangeReferralEvents1764965000000 } from './1764965000000-ExchangeReferralEvents';
import { DistributionKeys1764970000000 } from './1764970000000-DistributionKeys';
import { ReminderLiveSendIndex1764978000000 } from './1764978000000-ReminderLiveSendIndex';
import { ReportDirtyVacuum1764985000000 } from './1764985000000-ReportDirtyVacuum';
import { ReportMonthRollups1764990000000 } from './1764990000000-ReportMonthRollups';
import { AuditTimeOrderedIds1764999000000 } from './1764999000000-AuditTimeOrderedIds';
import { ReportPlanOrgDays1765000000000 } from './1765000000000-ReportPlanOrgDays';
import { AuditReadRecordIds1765010000000 } from './1765010000000-AuditReadRecordIds';
import { OutboxBatchJob1765020000000 } from './1765020000000-OutboxBatchJob';
import { ClientNameIndexOnly1765030000000 } from './1765030000000-ClientNameIndexOnly';

/** Every migration, in order. New ones are appended here, one per line. */
export const MIGRATIONS = [
  Foundation1763800000000,
  OutboxClaim1763900000000,
  ClinicalRecords1764000000000,
  Reminders1764100000000,
  DeliveryClaim1764200000000,
  OnePractitionerPerLogin1764300000000,
  QueueRole1764350000000,
  AuditCorrelation1764400000000,
  InvitationTypedDetails1764410000000,
  SignInLimit1764500000000,
  BookingHorizon1764600000000,
  TenantSession1764700000000,
  IndexesAtScale1764710000000,
  ExchangeRole1764800000000,
  Partnerships1764805000000,
  Referrals1764810000000,
  ReferralClinicHours1764811000000,
  ReferralPartnerLock1764812000000,
  ReferralMessages1764820000000,
  ClientSearchNationalPhone1764860000000,
  AuditSearchClientConfirmation1764880000000,
  ChartTasksMyDay1764900000000,
  DeadLetterRetry1764910000000,
  ReportRollups1764930000000,
  ReferralFlowRollup1764940000000,
  ReportDrainSetBased1764945000000,
  ReportDrainReferrals1764946000000,
  FhirExports1764950000000,
  FeedsAndWebhooks1764960000000,
  ExchangeReferralEvents1764965000000,
  DistributionKeys1764970000000,
  ReminderLiveSendIndex1764978000000,
  ReportDirtyVacuum1764985000000,
  ReportMonthRollups1764990000000,
  AuditTimeOrderedIds1764999000000,
  ReportPlanOrgDays1765000000000,
  AuditReadRecordIds1765010000000,
  OutboxBatchJob1765020000000,
  ClientNameIndexOnly1765030000000,
];
