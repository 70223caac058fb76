import { Field, ID, ObjectType } from 'type-graphql';
import { AppointmentType } from '../appointment/appointment.types';
import { TrajectoryPointType } from '../chart/chart.types';
import { PractitionerTaskType } from '../practitioner-task/practitioner-task.types';
import { PractitionerType } from '../practitioner/practitioner.types';

@ObjectType('MyDayClinic', { simpleResolvers: true, description: 'A clinic of the day: where the practitioner has weekly hours or is booked today' })
export class MyDayClinicType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() timeZone: string;
  @Field({ description: "Today in the clinic's time zone, YYYY-MM-DD" }) date: string;
}

@ObjectType('MyDayVisit', { simpleResolvers: true, description: "One of today's appointments, with the client's last pain score and the open tasks about them" })
export class MyDayVisitType {
  @Field(() => AppointmentType) appointment: AppointmentType;
  @Field(() => TrajectoryPointType, { nullable: true, description: "The client's most recent pain score (intake, session or re-assessment); null: none yet" })
  lastPain: TrajectoryPointType | null;
  @Field(() => [PractitionerTaskType], { description: "The practitioner's open tasks about this client" }) openTasks: PractitionerTaskType[];
}

@ObjectType('MyDay', { simpleResolvers: true, description: "A practitioner's day, read in one statement: today's appointments in order, last pain scores and open tasks" })
export class MyDayType {
  @Field(() => PractitionerType) practitioner: PractitionerType;
  @Field(() => [MyDayClinicType], { description: 'By name' }) clinics: MyDayClinicType[];
  @Field(() => [MyDayVisitType], { description: "Today's appointments that hold time (booked, checked in, completed), by start, each in its clinic's day" })
  visits: MyDayVisitType[];
  @Field(() => [PractitionerTaskType], { description: 'Every open task of the practitioner at clinics in reach, by due time' }) openTasks: PractitionerTaskType[];
}
