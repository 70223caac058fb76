import type { Channel, ReminderKind } from '../../gql/graphql';

export const KIND_LABEL: Record<ReminderKind, string> = {
  APPOINTMENT: 'Appointment reminder',
  REASSESSMENT_DUE: 'Re-assessment due',
  MAINTENANCE_DUE: 'Maintenance visit due',
  MAINTENANCE_FOLLOW_UP: 'Maintenance follow-up',
  HOME_CARE: 'Home care',
};

export const CHANNEL_LABEL: Record<Channel, string> = { EMAIL: 'Email', SMS: 'Text message' };
