export const ROLES = ['ORG_ADMIN', 'CLINIC_MANAGER', 'FRONT_DESK', 'PRACTITIONER'] as const;
export type Role = (typeof ROLES)[number];

export const DISCIPLINES = [
  'MASSAGE_THERAPIST',
  'PHYSIOTHERAPIST',
  'PAIN_SPECIALIST',
  'ACUPUNCTURIST',
  'PHYSICIAN',
] as const;
export type Discipline = (typeof DISCIPLINES)[number];

export const MODALITIES = [
  'SWEDISH',
  'DEEP_TISSUE',
  'TRIGGER_POINT',
  'MYOFASCIAL_RELEASE',
  'ASSISTED_STRETCHING',
  'HOT_COLD',
  'CUPPING',
  'SCRAPING',
  'PHYSIOTHERAPY',
  'ACUPUNCTURE',
  'MEDICAL_ASSESSMENT',
  'PAIN_MANAGEMENT',
] as const;
export type Modality = (typeof MODALITIES)[number];

export const USER_STATUSES = ['INVITED', 'ACTIVE', 'DISABLED'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const MEMBERSHIP_STATUSES = ['INVITED', 'ACTIVE', 'REVOKED'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

export const DELIVERY_STATUSES = ['PENDING', 'SENT', 'FAILED', 'DEAD'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One opening-hours or availability window, in the clinic's local time. ISO weekday 1 = Monday. */
export interface WeeklyWindow {
  weekday: number;
  start: string; // 'HH:mm'
  end: string; // 'HH:mm'
}
