import type { Db } from '@fascia/db';
import type { ApiConfig } from './config';
import { AuthService } from './modules/auth/auth.service';
import { ClinicService } from './modules/clinic/clinic.service';
import { PractitionerService } from './modules/practitioner/practitioner.service';
import { StaffService } from './modules/staff/staff.service';

export function createServices(db: Db, config: ApiConfig) {
  return {
    auth: new AuthService(db, config),
    clinics: new ClinicService(db),
    practitioners: new PractitionerService(db),
    staff: new StaffService(db),
  };
}

export type Services = ReturnType<typeof createServices>;
