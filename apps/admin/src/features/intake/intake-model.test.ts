import { describe, expect, it } from '@jest/globals';
import { emptyIntake, fromIntakeData, intakeSchema, toIntakeInput } from './intake-model';
import type { IntakeForm } from './intake-model';
import * as model from './intake-model';
import * as planning from '@fascia/planning';

function filled(): IntakeForm {
  const f = emptyIntake('42');
  f.complaints = [{ region: 'lower-back', side: 'central', widespread: false, onsetDate: '2026-08-01', cause: 'posture', painNow: '6', painWorst: '8' }];
  f.function = { psfs: [{ activity: 'Sitting at work', score: '4' }], odi: '30', ndi: '' };
  f.pressureTolerance = 'moderate';
  f.medications = [{ name: 'Warfarin', class: 'anticoagulant' }];
  f.health.bladderChange = true;
  f.health.dvtSigns.calfSwelling = true;
  f.health.dvtSigns.side = 'left';
  f.lifestyle = { activity: 'light', workPosture: 'desk', stress: '5', sleep: 'fair' };
  f.goals = ['pain-relief'];
  f.commitment = { sessionsPerWeek: '0.5', budgetSessions: '' };
  f.selfCareWillingness = 'some';
  return f;
}

describe('the intake form and the planning model’s IntakeInput', () => {
  it('turns typed numbers into numbers and leaves out what was left empty', () => {
    const input = toIntakeInput(intakeSchema.parse(filled()));
    expect(input).toMatchObject({
      age: 42,
      complaints: [{ region: 'lower-back', side: 'central', onsetDate: '2026-08-01', cause: 'posture', painNow: 6, painWorst: 8 }],
      function: { psfs: [{ activity: 'Sitting at work', score: 4 }], odi: 30 },
      commitment: { sessionsPerWeek: 0.5 },
      lifestyle: { stress: 5 },
      health: { bladderChange: true, dvtSigns: { side: 'left', calfSwelling: true } },
    });
    expect(input.function).not.toHaveProperty('ndi');
    expect(input.commitment).not.toHaveProperty('budgetSessions');
    expect(input.health).not.toHaveProperty('pregnancyWeeks');
    expect((input.complaints as object[])[0]).not.toHaveProperty('widespread');
  });

  it('sends no DVT signs when none is ticked, and a widespread complaint without region or side', () => {
    const f = filled();
    f.health.dvtSigns.calfSwelling = false;
    f.complaints[0] = { ...f.complaints[0], widespread: true };
    const input = toIntakeInput(intakeSchema.parse(f));
    expect(input.health).not.toHaveProperty('dvtSigns');
    expect((input.complaints as object[])[0]).toEqual({ widespread: true, onsetDate: '2026-08-01', cause: 'posture', painNow: 6, painWorst: 8 });
  });

  it('a stored intake comes back as the form it was saved from', () => {
    const form = filled();
    const stored = { ...toIntakeInput(intakeSchema.parse(form)), assessedAt: '2026-11-29T10:00:00Z' };
    expect(fromIntakeData(stored, '40')).toEqual(form);
  });

  it('a malformed or empty stored intake gives the empty form', () => {
    expect(fromIntakeData(null, '40')).toEqual({ ...emptyIntake('40'), complaints: [] });
  });
});

describe('the intake form offers exactly the planning model’s choices', () => {
  // The admin app does not bundle @fascia/planning, so its choice lists are copies: this keeps
  // them from drifting apart (a choice the form offers that the API refuses, or one it lacks).
  it.each([
    // 'whole-body' is the form's "widespread" checkbox, not a region to pick.
    ['body regions', model.BODY_REGIONS, planning.BODY_REGIONS.filter((r) => r !== 'whole-body')],
    ['sides', model.SIDES, planning.SIDES],
    ['causes', model.CAUSES, planning.CAUSES],
    ['conditions', model.CONDITIONS, planning.CONDITIONS],
    ['pressures', model.PRESSURES, planning.PRESSURE_TOLERANCES],
    ['general health', model.GENERAL_HEALTH, planning.GENERAL_HEALTH],
    ['activity levels', model.ACTIVITY_LEVELS, planning.ACTIVITY_LEVELS],
    ['work postures', model.WORK_POSTURES, planning.WORK_POSTURES],
    ['sleep qualities', model.SLEEP_QUALITIES, planning.SLEEP_QUALITIES],
    ['goals', model.GOALS, planning.GOALS],
    ['self-care willingness', model.SELF_CARE, planning.SELF_CARE_WILLINGNESS],
    ['medication classes', model.MEDICATION_CLASSES, planning.MEDICATION_CLASSES],
  ] as const)('%s', (_name, offered, modelled) => {
    expect([...offered]).toEqual([...modelled]);
  });
});
