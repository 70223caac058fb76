/**
 * Real record bodies, which the scale generator copies, so a chart or plan read of generated
 * data parses the same shapes as production. They were taken from the demo seed (`npm run seed`
 * on a scratch database: one intake's data and findings, the PROPOSED and ACCEPTED versions of a
 * plan with re-assessments, the blocked proposal, a CONTINUE re-assessment's measures,
 * evaluation and proposal, a session note's check-in, techniques, SOAP and home care). Take
 * them again the same way when the planning package changes what it stores.
 */
export const SAMPLES: ScaleSamples = {
 "intakeData": {
  "age": 46,
  "goals": [
   "pain-relief",
   "mobility"
  ],
  "health": {},
  "function": {
   "psfs": [
    {
     "score": 3,
     "activity": "reaching overhead"
    }
   ]
  },
  "lifestyle": {
   "sleep": "fair",
   "stress": 6,
   "activity": "moderate",
   "workPosture": "mixed"
  },
  "assessedAt": "2026-08-01T23:00:00.000Z",
  "commitment": {
   "sessionsPerWeek": 1
  },
  "complaints": [
   {
    "id": "c1",
    "side": "right",
    "cause": "overuse",
    "region": "shoulder",
    "painNow": 7,
    "onsetDate": "2026-02-03",
    "onsetDays": 179,
    "painWorst": 9,
    "chronicity": "chronic"
   }
  ],
  "conditions": [],
  "medications": [],
  "generalHealth": "good",
  "pressureTolerance": "deep",
  "selfCareWillingness": "some"
 },
 "intakeFindings": [],
 "planProposed": {
  "intake": {
   "age": 28,
   "goals": [
    "pain-relief",
    "mobility"
   ],
   "health": {},
   "function": {
    "odi": 32,
    "psfs": [
     {
      "score": 4,
      "activity": "gardening"
     }
    ]
   },
   "lifestyle": {
    "sleep": "fair",
    "stress": 3,
    "activity": "moderate",
    "workPosture": "mixed"
   },
   "assessedAt": "2026-10-25T09:00:00.000Z",
   "commitment": {
    "sessionsPerWeek": 1
   },
   "complaints": [
    {
     "id": "c1",
     "side": "central",
     "cause": "posture",
     "region": "lower-back",
     "painNow": 7,
     "onsetDate": "2026-04-26",
     "onsetDays": 182,
     "painWorst": 9,
     "chronicity": "chronic"
    }
   ],
   "conditions": [],
   "medications": [],
   "generalHealth": "fair",
   "pressureTolerance": "moderate",
   "selfCareWillingness": "some"
  },
  "phases": [
   {
    "kind": "initial",
    "index": 0,
    "label": "Initial phase",
    "purpose": "Build momentum on chronic low back pain.",
    "sessions": {
     "value": {
      "max": 13,
      "min": 6,
      "likely": 10
     },
     "reason": "Ten weekly sessions helped chronic low back pain in a trial; we may step down after four if the benchmarks are met. Adjusted for you: Fair general health may need one more session.",
     "evidence": {
      "kind": "trial",
      "design": "randomised trial",
      "finding": "Ten weekly massage sessions (structural or relaxation) improved function in chronic low back pain more than usual care.",
      "citation": "Cherkin DC, Sherman KJ, Kahn J, et al. A comparison of the effects of 2 types of massage and usual care on chronic low back pain: a randomized, controlled trial. Ann Intern Med. 2011;155(1):1-9."
     }
    },
    "frequency": {
     "value": {
      "perWeeks": 1,
      "sessions": 1
     },
     "reason": "Once a week: the most you can attend (recommended: twice a week). The same number of sessions takes longer.",
     "evidence": {
      "file": "001_1a27680e51b9f122.txt",
      "kind": "seed",
      "quote": "Your ability to adhere to the recommended frequency and guidance also plays a role."
     }
    },
    "reassessment": {
     "value": {
      "everyWeeks": 4,
      "everySessions": 4
     },
     "reason": "Every 4 sessions or 4 weeks, whichever comes first, we measure again and compare with your starting point.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "001_1a27680e51b9f122.txt",
       "quote": "Regular re-assessments by your therapist are key."
      },
      "statement": "A 4-session / 4-week re-assessment cadence. Clinical practice; no trial backs this number."
     }
    },
    "durationWeeks": {
     "value": {
      "max": 13,
      "min": 6,
      "likely": 10
     },
     "reason": "6–13, most likely 10 weeks, once a week.",
     "evidence": {
      "kind": "trial",
      "design": "randomised trial",
      "finding": "Ten weekly massage sessions (structural or relaxation) improved function in chronic low back pain more than usual care.",
      "citation": "Cherkin DC, Sherman KJ, Kahn J, et al. A comparison of the effects of 2 types of massage and usual care on chronic low back pain: a randomized, controlled trial. Ann Intern Med. 2011;155(1):1-9."
     }
    },
    "sessionLengthMinutes": {
     "value": 60,
     "reason": "An hour gives time to work the back, hips and buttocks.",
     "evidence": {
      "kind": "clinical-practice",
      "statement": "Sixty-minute sessions, by analogy with the massage dosing trials (Sherman 2014 for the neck, Perlman 2012 for the knee), which found 60 minutes better than 30; for this area no trial tested session length. Clinical practice; no trial backs this number."
     }
    }
   },
   {
    "kind": "tapering",
    "index": 1,
    "label": "Tapering phase",
    "purpose": "Space visits out while you keep the gains with home care.",
    "sessions": {
     "value": {
      "max": 4,
      "min": 2,
      "likely": 3
     },
     "reason": "2–4, most likely 3 spaced-out sessions to check the improvement holds.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "001_1a27680e51b9f122.txt",
       "quote": "Over time, the frequency of visits may decrease."
      },
      "statement": "Tapering session count. Clinical practice; no trial backs this number."
     }
    },
    "frequency": {
     "value": {
      "perWeeks": 2,
      "sessions": 1
     },
     "reason": "Every 2 weeks as you improve.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "001_1a27680e51b9f122.txt",
       "quote": "Over time, the frequency of visits may decrease."
      },
      "statement": "Fortnightly visits while tapering. Clinical practice; no trial backs this number."
     }
    },
    "reassessment": {
     "value": {
      "everyWeeks": 6,
      "everySessions": 3
     },
     "reason": "At the end of tapering we measure again before moving to maintenance.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "003_7e1ef6efea98f03b.txt",
       "quote": "Periodic assessments and benchmarks allow the client and therapist to track the progress of the treatments and to make any necessary adjustments as time progresses."
      },
      "statement": "Re-assessment at the end of tapering. Clinical practice; no trial backs this number."
     }
    },
    "durationWeeks": {
     "value": {
      "max": 8,
      "min": 4,
      "likely": 6
     },
     "reason": "4–8, most likely 6 weeks, every 2 weeks.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "001_1a27680e51b9f122.txt",
       "quote": "Over time, the frequency of visits may decrease."
      },
      "statement": "Follows from the tapering count and frequency. Clinical practice; no trial backs this number."
     }
    },
    "sessionLengthMinutes": {
     "value": 60,
     "reason": "Same length as the initial sessions.",
     "evidence": {
      "kind": "clinical-practice",
      "statement": "Sixty-minute sessions, by analogy with the massage dosing trials (Sherman 2014 for the neck, Perlman 2012 for the knee), which found 60 minutes better than 30; for this area no trial tested session length. Clinical practice; no trial backs this number."
     }
    }
   },
   {
    "kind": "maintenance",
    "index": 2,
    "label": "Maintenance",
    "purpose": "Keep the gains and prevent the pain coming back.",
    "sessions": {
     "value": {
      "max": 13,
      "min": 4,
      "likely": 7
     },
     "reason": "4–13, most likely 7 visits a year (every 1 to 3 months).",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "001_1a27680e51b9f122.txt",
       "quote": "Following this initial period, maintenance visits could be scheduled anywhere from once every 1 to 3 months."
      },
      "statement": "Maintenance every 1 to 3 months is clinical practice described by the seed documents; no trial has tested maintenance intervals, so this is not trial evidence."
     }
    },
    "frequency": {
     "value": {
      "perWeeks": 8,
      "sessions": 1
     },
     "reason": "Every 8 weeks (about every 2 months) to keep the gains; can move between 1 and 3 months as you need.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "001_1a27680e51b9f122.txt",
       "quote": "Following this initial period, maintenance visits could be scheduled anywhere from once every 1 to 3 months."
      },
      "statement": "Maintenance every 1 to 3 months is clinical practice described by the seed documents; no trial has tested maintenance intervals, so this is not trial evidence."
     }
    },
    "reassessment": {
     "value": {
      "everyWeeks": 24,
      "everySessions": 3
     },
     "reason": "Every third maintenance visit we measure again to make sure the gains hold.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "004_416bb208d7fb7e85.txt",
       "quote": "- Customized Treatment Plans: Ongoing assessments by a qualified therapist allow for adjustments to the treatment plan, ensuring it remains effective as the individual’s needs change."
      },
      "statement": "Periodic re-assessment during maintenance. Clinical practice; no trial backs this number."
     }
    },
    "sessionLengthMinutes": {
     "value": 60,
     "reason": "An hour, to go over all the areas treated.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "004_416bb208d7fb7e85.txt",
       "quote": "- Preventing Recurrence of Pain: Regular massage therapy can help maintain the benefits achieved during initial treatment phases, preventing the recurrence of pain and related issues."
      },
      "statement": "Maintenance session length. Clinical practice; no trial backs this number."
     }
    }
   }
  ],
  "status": "proposed",
  "blocked": false,
  "pathway": "chronic",
  "version": 1,
  "baseline": {
   "odi": 32,
   "pain": [
    {
     "score": 7,
     "complaintId": "c1"
    }
   ],
   "psfs": [
    {
     "score": 4,
     "activity": "gardening"
    }
   ]
  },
  "findings": [],
  "homeCare": [
   {
    "kind": "stretch",
    "complaintId": "c1",
    "daysPerWeek": {
     "value": 5,
     "reason": "Short daily practice on most days extends the benefit of each session.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "000_4ebec04e86095880.txt",
       "quote": "Following your therapist's recommendations for stretches, exercises, and self-massage techniques can extend the benefits of each session and reduce the number of sessions required."
      },
      "statement": "Most days of the week is the usual home-programme dose. Clinical practice; no trial backs this number."
     }
    },
    "description": "Knee-to-chest and figure-four (piriformis) stretch, 3 × 30 seconds each side."
   },
   {
    "kind": "exercise",
    "complaintId": "c1",
    "daysPerWeek": {
     "value": 5,
     "reason": "Short daily practice on most days extends the benefit of each session.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "000_4ebec04e86095880.txt",
       "quote": "Following your therapist's recommendations for stretches, exercises, and self-massage techniques can extend the benefits of each session and reduce the number of sessions required."
      },
      "statement": "Most days of the week is the usual home-programme dose. Clinical practice; no trial backs this number."
     }
    },
    "description": "Cat–camel mobility, 10 slow repetitions."
   },
   {
    "kind": "self-massage",
    "complaintId": "c1",
    "daysPerWeek": {
     "value": 5,
     "reason": "Short daily practice on most days extends the benefit of each session.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "000_4ebec04e86095880.txt",
       "quote": "Following your therapist's recommendations for stretches, exercises, and self-massage techniques can extend the benefits of each session and reduce the number of sessions required."
      },
      "statement": "Most days of the week is the usual home-programme dose. Clinical practice; no trial backs this number."
     }
    },
    "description": "Ball or foam roller under the buttock and beside the spine, 2–3 minutes."
   },
   {
    "kind": "posture",
    "daysPerWeek": {
     "value": 5,
     "reason": "On working days, since posture at work feeds the problem.",
     "evidence": {
      "file": "001_1a27680e51b9f122.txt",
      "kind": "seed",
      "quote": "Therapists can also offer guidance on posture and movement."
     }
    },
    "description": "Change position or stand up every 30–45 minutes at work; screen at eye level."
   }
  ],
  "protocol": {
   "id": "chronic-low-back",
   "description": "Chronic low back pain: up to 10 weekly sessions (Cherkin 2011)"
  },
  "severity": {
   "value": "severe",
   "reason": "Pain now 7/10 is severe (1–4 mild, 5–6 moderate, 7–10 severe).",
   "evidence": {
    "kind": "trial",
    "design": "measurement study",
    "finding": "On the 0–10 scale, 1–4 is mild, 5–6 moderate and 7–10 severe pain, by how much it interferes with daily life.",
    "citation": "Serlin RC, Mendoza TR, Nakamura Y, Edwards KR, Cleeland CS. When is cancer pain mild, moderate or severe? Grading pain severity by its interference with function. Pain. 1995;61(2):277-284."
   }
  },
  "warnings": [
   {
    "code": "COMMITMENT_BELOW_RECOMMENDED",
    "message": "Recommended twice a week at first; you can attend once a week."
   }
  ],
  "changeLog": [
   {
    "at": "2026-11-28T23:57:55.673Z",
    "by": "019792a1-9558-4064-8b8f-a44018d50975",
    "reason": "Proposed from the intake: chronic low back pain, severe pain.",
    "changes": [
     "Protocol: Chronic low back pain: up to 10 weekly sessions (Cherkin 2011)."
    ],
    "version": 1,
    "decision": "PROPOSED"
   }
  ],
  "createdAt": "2026-11-28T23:57:55.673Z",
  "benchmarks": [
   {
    "id": "pain-nrs:c1",
    "target": 5,
    "measure": "pain-nrs",
    "baseline": 7,
    "direction": "decrease",
    "threshold": {
     "value": {
      "points": 2,
      "percent": 30
     },
     "reason": "Pain down by at least 2 points or 30 % on the 0–10 scale: the smallest change people notice as real relief.",
     "evidence": {
      "kind": "trial",
      "design": "measurement study",
      "finding": "A drop of about 2 points or 30 % on the 0–10 pain scale is what patients experience as a meaningful improvement.",
      "citation": "Farrar JT, Young JP Jr, LaMoreaux L, Werth JL, Poole RM. Clinical importance of changes in chronic pain intensity measured on an 11-point numerical pain rating scale. Pain. 2001;94(2):149-158."
     }
    },
    "complaintId": "c1"
   },
   {
    "id": "psfs",
    "target": 6,
    "measure": "psfs",
    "baseline": 4,
    "direction": "increase",
    "threshold": {
     "value": {
      "points": 2
     },
     "reason": "Your own chosen activities rated at least 2 points easier on average (0–10).",
     "evidence": {
      "kind": "trial",
      "design": "measurement study",
      "finding": "The Patient-Specific Functional Scale (0–10 per activity); a change of about 2 points is taken as clinically meaningful.",
      "citation": "Stratford P, Gill C, Westaway M, Binkley J. Assessing disability and change on individual patients: a report of a patient specific measure. Physiother Can. 1995;47(4):258-263."
     }
    }
   },
   {
    "id": "odi",
    "target": 22.4,
    "measure": "odi",
    "baseline": 32,
    "direction": "decrease",
    "threshold": {
     "value": {
      "points": 10,
      "percent": 30
     },
     "reason": "Back-related disability (Oswestry, 0–100) down by 10 points or 30 %.",
     "evidence": {
      "kind": "trial",
      "design": "measurement study",
      "finding": "For low back pain, an Oswestry Disability Index change of 10 points or 30 % is the minimal important change.",
      "citation": "Ostelo RW, Deyo RA, Stratford P, et al. Interpreting change scores for pain and functional status in low back pain: towards international consensus regarding minimal important change. Spine. 2008;33(1):90-94."
     }
    }
   }
  ],
  "techniques": [
   {
    "reason": "Long, gliding strokes warm the area, ease guarding and help circulation. Pressure up to moderate, adjusted at each session's check-in.",
    "evidence": {
     "file": "000_4ebec04e86095880.txt",
     "kind": "seed",
     "quote": "Swedish Massage: This technique involves long, gliding strokes and kneading to promote relaxation and improve circulation."
    },
    "pressure": "moderate",
    "technique": "swedish",
    "complaintId": "c1"
   },
   {
    "reason": "Pressure and release on knots that refer pain, e.g. from the upper back into the neck and head. Pressure up to moderate, adjusted at each session's check-in.",
    "evidence": {
     "file": "000_4ebec04e86095880.txt",
     "kind": "seed",
     "quote": "Trigger Point Therapy: Therapists apply pressure to specific muscle trigger points to release knots and reduce pain."
    },
    "pressure": "moderate",
    "technique": "trigger-point",
    "complaintId": "c1"
   },
   {
    "reason": "Releases the fascia around the muscles to improve movement. Pressure up to moderate, adjusted at each session's check-in.",
    "evidence": {
     "file": "000_4ebec04e86095880.txt",
     "kind": "seed",
     "quote": "Myofascial Release: This therapeutic massage technique focuses on stretching and releasing the fascia, the connective tissue surrounding muscles, to improve mobility and reduce pain."
    },
    "pressure": "moderate",
    "technique": "myofascial-release",
    "complaintId": "c1"
   },
   {
    "reason": "Assisted stretching restores flexibility and reduces tightness. Pressure up to moderate, adjusted at each session's check-in.",
    "evidence": {
     "file": "000_4ebec04e86095880.txt",
     "kind": "seed",
     "quote": "Stretching: Your therapist may incorporate assisted stretching to improve flexibility and reduce muscle tightness."
    },
    "pressure": "moderate",
    "technique": "assisted-stretching",
    "complaintId": "c1"
   },
   {
    "reason": "Heat before the work relaxes chronically tight muscle. Pressure up to moderate, adjusted at each session's check-in.",
    "evidence": {
     "file": "000_4ebec04e86095880.txt",
     "kind": "seed",
     "quote": "Hot/Cold Therapy: Heat or cold packs can be combined with massage to reduce inflammation and alleviate pain."
    },
    "pressure": "moderate",
    "technique": "hot-cold",
    "complaintId": "c1"
   }
  ],
  "adjustments": [
   {
    "delta": {
     "max": 1,
     "min": 0,
     "likely": 0
    },
    "factor": "general-health",
    "reason": "Fair general health may need one more session.",
    "evidence": {
     "file": "000_4ebec04e86095880.txt",
     "kind": "seed",
     "quote": "Age, general health, and forbearance to massage pressure can impact the number of therapeutic massage sessions needed."
    }
   }
  ],
  "restrictions": {
   "blocked": false,
   "avoidAreas": [],
   "clearances": [],
   "maxPressure": "deep",
   "excludedTechniques": []
  },
  "approachChanges": 0,
  "expectedSessions": {
   "value": {
    "max": 17,
    "min": 8,
    "likely": 13
   },
   "reason": "8–17, most likely 13 sessions over about 10–21, most likely 16 weeks before maintenance.",
   "evidence": {
    "kind": "trial",
    "design": "randomised trial",
    "finding": "Ten weekly massage sessions (structural or relaxation) improved function in chronic low back pain more than usual care.",
    "citation": "Cherkin DC, Sherman KJ, Kahn J, et al. A comparison of the effects of 2 types of massage and usual care on chronic low back pain: a randomized, controlled trial. Ann Intern Med. 2011;155(1):1-9."
   }
  },
  "currentPhaseIndex": 0,
  "excludedTechniques": [
   {
    "reason": "Needs at least firm pressure; the limit is moderate.",
    "technique": "deep-tissue",
    "complaintId": "c1"
   }
  ],
  "phaseStartedAtSession": 0,
  "approachStartedAtSession": 0
 },
 "planAccepted": {
  "intake": {
   "age": 28,
   "goals": [
    "pain-relief",
    "mobility"
   ],
   "health": {},
   "function": {
    "odi": 32,
    "psfs": [
     {
      "score": 4,
      "activity": "gardening"
     }
    ]
   },
   "lifestyle": {
    "sleep": "fair",
    "stress": 3,
    "activity": "moderate",
    "workPosture": "mixed"
   },
   "assessedAt": "2026-10-25T09:00:00.000Z",
   "commitment": {
    "sessionsPerWeek": 1
   },
   "complaints": [
    {
     "id": "c1",
     "side": "central",
     "cause": "posture",
     "region": "lower-back",
     "painNow": 7,
     "onsetDate": "2026-04-26",
     "onsetDays": 182,
     "painWorst": 9,
     "chronicity": "chronic"
    }
   ],
   "conditions": [],
   "medications": [],
   "generalHealth": "fair",
   "pressureTolerance": "moderate",
   "selfCareWillingness": "some"
  },
  "phases": [
   {
    "kind": "initial",
    "index": 0,
    "label": "Initial phase",
    "purpose": "Build momentum on chronic low back pain.",
    "sessions": {
     "value": {
      "max": 13,
      "min": 6,
      "likely": 10
     },
     "reason": "Ten weekly sessions helped chronic low back pain in a trial; we may step down after four if the benchmarks are met. Adjusted for you: Fair general health may need one more session.",
     "evidence": {
      "kind": "trial",
      "design": "randomised trial",
      "finding": "Ten weekly massage sessions (structural or relaxation) improved function in chronic low back pain more than usual care.",
      "citation": "Cherkin DC, Sherman KJ, Kahn J, et al. A comparison of the effects of 2 types of massage and usual care on chronic low back pain: a randomized, controlled trial. Ann Intern Med. 2011;155(1):1-9."
     }
    },
    "frequency": {
     "value": {
      "perWeeks": 1,
      "sessions": 1
     },
     "reason": "Once a week: the most you can attend (recommended: twice a week). The same number of sessions takes longer.",
     "evidence": {
      "file": "001_1a27680e51b9f122.txt",
      "kind": "seed",
      "quote": "Your ability to adhere to the recommended frequency and guidance also plays a role."
     }
    },
    "reassessment": {
     "value": {
      "everyWeeks": 4,
      "everySessions": 4
     },
     "reason": "Every 4 sessions or 4 weeks, whichever comes first, we measure again and compare with your starting point.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "001_1a27680e51b9f122.txt",
       "quote": "Regular re-assessments by your therapist are key."
      },
      "statement": "A 4-session / 4-week re-assessment cadence. Clinical practice; no trial backs this number."
     }
    },
    "durationWeeks": {
     "value": {
      "max": 13,
      "min": 6,
      "likely": 10
     },
     "reason": "6–13, most likely 10 weeks, once a week.",
     "evidence": {
      "kind": "trial",
      "design": "randomised trial",
      "finding": "Ten weekly massage sessions (structural or relaxation) improved function in chronic low back pain more than usual care.",
      "citation": "Cherkin DC, Sherman KJ, Kahn J, et al. A comparison of the effects of 2 types of massage and usual care on chronic low back pain: a randomized, controlled trial. Ann Intern Med. 2011;155(1):1-9."
     }
    },
    "sessionLengthMinutes": {
     "value": 60,
     "reason": "An hour gives time to work the back, hips and buttocks.",
     "evidence": {
      "kind": "clinical-practice",
      "statement": "Sixty-minute sessions, by analogy with the massage dosing trials (Sherman 2014 for the neck, Perlman 2012 for the knee), which found 60 minutes better than 30; for this area no trial tested session length. Clinical practice; no trial backs this number."
     }
    }
   },
   {
    "kind": "tapering",
    "index": 1,
    "label": "Tapering phase",
    "purpose": "Space visits out while you keep the gains with home care.",
    "sessions": {
     "value": {
      "max": 4,
      "min": 2,
      "likely": 3
     },
     "reason": "2–4, most likely 3 spaced-out sessions to check the improvement holds.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "001_1a27680e51b9f122.txt",
       "quote": "Over time, the frequency of visits may decrease."
      },
      "statement": "Tapering session count. Clinical practice; no trial backs this number."
     }
    },
    "frequency": {
     "value": {
      "perWeeks": 2,
      "sessions": 1
     },
     "reason": "Every 2 weeks as you improve.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "001_1a27680e51b9f122.txt",
       "quote": "Over time, the frequency of visits may decrease."
      },
      "statement": "Fortnightly visits while tapering. Clinical practice; no trial backs this number."
     }
    },
    "reassessment": {
     "value": {
      "everyWeeks": 6,
      "everySessions": 3
     },
     "reason": "At the end of tapering we measure again before moving to maintenance.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "003_7e1ef6efea98f03b.txt",
       "quote": "Periodic assessments and benchmarks allow the client and therapist to track the progress of the treatments and to make any necessary adjustments as time progresses."
      },
      "statement": "Re-assessment at the end of tapering. Clinical practice; no trial backs this number."
     }
    },
    "durationWeeks": {
     "value": {
      "max": 8,
      "min": 4,
      "likely": 6
     },
     "reason": "4–8, most likely 6 weeks, every 2 weeks.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "001_1a27680e51b9f122.txt",
       "quote": "Over time, the frequency of visits may decrease."
      },
      "statement": "Follows from the tapering count and frequency. Clinical practice; no trial backs this number."
     }
    },
    "sessionLengthMinutes": {
     "value": 60,
     "reason": "Same length as the initial sessions.",
     "evidence": {
      "kind": "clinical-practice",
      "statement": "Sixty-minute sessions, by analogy with the massage dosing trials (Sherman 2014 for the neck, Perlman 2012 for the knee), which found 60 minutes better than 30; for this area no trial tested session length. Clinical practice; no trial backs this number."
     }
    }
   },
   {
    "kind": "maintenance",
    "index": 2,
    "label": "Maintenance",
    "purpose": "Keep the gains and prevent the pain coming back.",
    "sessions": {
     "value": {
      "max": 13,
      "min": 4,
      "likely": 7
     },
     "reason": "4–13, most likely 7 visits a year (every 1 to 3 months).",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "001_1a27680e51b9f122.txt",
       "quote": "Following this initial period, maintenance visits could be scheduled anywhere from once every 1 to 3 months."
      },
      "statement": "Maintenance every 1 to 3 months is clinical practice described by the seed documents; no trial has tested maintenance intervals, so this is not trial evidence."
     }
    },
    "frequency": {
     "value": {
      "perWeeks": 8,
      "sessions": 1
     },
     "reason": "Every 8 weeks (about every 2 months) to keep the gains; can move between 1 and 3 months as you need.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "001_1a27680e51b9f122.txt",
       "quote": "Following this initial period, maintenance visits could be scheduled anywhere from once every 1 to 3 months."
      },
      "statement": "Maintenance every 1 to 3 months is clinical practice described by the seed documents; no trial has tested maintenance intervals, so this is not trial evidence."
     }
    },
    "reassessment": {
     "value": {
      "everyWeeks": 24,
      "everySessions": 3
     },
     "reason": "Every third maintenance visit we measure again to make sure the gains hold.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "004_416bb208d7fb7e85.txt",
       "quote": "- Customized Treatment Plans: Ongoing assessments by a qualified therapist allow for adjustments to the treatment plan, ensuring it remains effective as the individual’s needs change."
      },
      "statement": "Periodic re-assessment during maintenance. Clinical practice; no trial backs this number."
     }
    },
    "sessionLengthMinutes": {
     "value": 60,
     "reason": "An hour, to go over all the areas treated.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "004_416bb208d7fb7e85.txt",
       "quote": "- Preventing Recurrence of Pain: Regular massage therapy can help maintain the benefits achieved during initial treatment phases, preventing the recurrence of pain and related issues."
      },
      "statement": "Maintenance session length. Clinical practice; no trial backs this number."
     }
    }
   }
  ],
  "status": "active",
  "blocked": false,
  "pathway": "chronic",
  "version": 2,
  "baseline": {
   "odi": 32,
   "pain": [
    {
     "score": 7,
     "complaintId": "c1"
    }
   ],
   "psfs": [
    {
     "score": 4,
     "activity": "gardening"
    }
   ]
  },
  "findings": [],
  "homeCare": [
   {
    "kind": "stretch",
    "complaintId": "c1",
    "daysPerWeek": {
     "value": 5,
     "reason": "Short daily practice on most days extends the benefit of each session.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "000_4ebec04e86095880.txt",
       "quote": "Following your therapist's recommendations for stretches, exercises, and self-massage techniques can extend the benefits of each session and reduce the number of sessions required."
      },
      "statement": "Most days of the week is the usual home-programme dose. Clinical practice; no trial backs this number."
     }
    },
    "description": "Knee-to-chest and figure-four (piriformis) stretch, 3 × 30 seconds each side."
   },
   {
    "kind": "exercise",
    "complaintId": "c1",
    "daysPerWeek": {
     "value": 5,
     "reason": "Short daily practice on most days extends the benefit of each session.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "000_4ebec04e86095880.txt",
       "quote": "Following your therapist's recommendations for stretches, exercises, and self-massage techniques can extend the benefits of each session and reduce the number of sessions required."
      },
      "statement": "Most days of the week is the usual home-programme dose. Clinical practice; no trial backs this number."
     }
    },
    "description": "Cat–camel mobility, 10 slow repetitions."
   },
   {
    "kind": "self-massage",
    "complaintId": "c1",
    "daysPerWeek": {
     "value": 5,
     "reason": "Short daily practice on most days extends the benefit of each session.",
     "evidence": {
      "kind": "clinical-practice",
      "seed": {
       "file": "000_4ebec04e86095880.txt",
       "quote": "Following your therapist's recommendations for stretches, exercises, and self-massage techniques can extend the benefits of each session and reduce the number of sessions required."
      },
      "statement": "Most days of the week is the usual home-programme dose. Clinical practice; no trial backs this number."
     }
    },
    "description": "Ball or foam roller under the buttock and beside the spine, 2–3 minutes."
   },
   {
    "kind": "posture",
    "daysPerWeek": {
     "value": 5,
     "reason": "On working days, since posture at work feeds the problem.",
     "evidence": {
      "file": "001_1a27680e51b9f122.txt",
      "kind": "seed",
      "quote": "Therapists can also offer guidance on posture and movement."
     }
    },
    "description": "Change position or stand up every 30–45 minutes at work; screen at eye level."
   }
  ],
  "protocol": {
   "id": "chronic-low-back",
   "description": "Chronic low back pain: up to 10 weekly sessions (Cherkin 2011)"
  },
  "severity": {
   "value": "severe",
   "reason": "Pain now 7/10 is severe (1–4 mild, 5–6 moderate, 7–10 severe).",
   "evidence": {
    "kind": "trial",
    "design": "measurement study",
    "finding": "On the 0–10 scale, 1–4 is mild, 5–6 moderate and 7–10 severe pain, by how much it interferes with daily life.",
    "citation": "Serlin RC, Mendoza TR, Nakamura Y, Edwards KR, Cleeland CS. When is cancer pain mild, moderate or severe? Grading pain severity by its interference with function. Pain. 1995;61(2):277-284."
   }
  },
  "warnings": [
   {
    "code": "COMMITMENT_BELOW_RECOMMENDED",
    "message": "Recommended twice a week at first; you can attend once a week."
   }
  ],
  "changeLog": [
   {
    "at": "2026-11-28T23:57:55.673Z",
    "by": "019792a1-9558-4064-8b8f-a44018d50975",
    "reason": "Proposed from the intake: chronic low back pain, severe pain.",
    "changes": [
     "Protocol: Chronic low back pain: up to 10 weekly sessions (Cherkin 2011)."
    ],
    "version": 1,
    "decision": "PROPOSED"
   },
   {
    "at": "2026-11-28T23:57:55.679Z",
    "by": "019792a1-9558-4064-8b8f-a44018d50975",
    "reason": "Agreed with the client at intake",
    "changes": [
     "Plan accepted."
    ],
    "version": 2,
    "decision": "ACCEPTED"
   }
  ],
  "createdAt": "2026-11-28T23:57:55.673Z",
  "benchmarks": [
   {
    "id": "pain-nrs:c1",
    "target": 5,
    "measure": "pain-nrs",
    "baseline": 7,
    "direction": "decrease",
    "threshold": {
     "value": {
      "points": 2,
      "percent": 30
     },
     "reason": "Pain down by at least 2 points or 30 % on the 0–10 scale: the smallest change people notice as real relief.",
     "evidence": {
      "kind": "trial",
      "design": "measurement study",
      "finding": "A drop of about 2 points or 30 % on the 0–10 pain scale is what patients experience as a meaningful improvement.",
      "citation": "Farrar JT, Young JP Jr, LaMoreaux L, Werth JL, Poole RM. Clinical importance of changes in chronic pain intensity measured on an 11-point numerical pain rating scale. Pain. 2001;94(2):149-158."
     }
    },
    "complaintId": "c1"
   },
   {
    "id": "psfs",
    "target": 6,
    "measure": "psfs",
    "baseline": 4,
    "direction": "increase",
    "threshold": {
     "value": {
      "points": 2
     },
     "reason": "Your own chosen activities rated at least 2 points easier on average (0–10).",
     "evidence": {
      "kind": "trial",
      "design": "measurement study",
      "finding": "The Patient-Specific Functional Scale (0–10 per activity); a change of about 2 points is taken as clinically meaningful.",
      "citation": "Stratford P, Gill C, Westaway M, Binkley J. Assessing disability and change on individual patients: a report of a patient specific measure. Physiother Can. 1995;47(4):258-263."
     }
    }
   },
   {
    "id": "odi",
    "target": 22.4,
    "measure": "odi",
    "baseline": 32,
    "direction": "decrease",
    "threshold": {
     "value": {
      "points": 10,
      "percent": 30
     },
     "reason": "Back-related disability (Oswestry, 0–100) down by 10 points or 30 %.",
     "evidence": {
      "kind": "trial",
      "design": "measurement study",
      "finding": "For low back pain, an Oswestry Disability Index change of 10 points or 30 % is the minimal important change.",
      "citation": "Ostelo RW, Deyo RA, Stratford P, et al. Interpreting change scores for pain and functional status in low back pain: towards international consensus regarding minimal important change. Spine. 2008;33(1):90-94."
     }
    }
   }
  ],
  "techniques": [
   {
    "reason": "Long, gliding strokes warm the area, ease guarding and help circulation. Pressure up to moderate, adjusted at each session's check-in.",
    "evidence": {
     "file": "000_4ebec04e86095880.txt",
     "kind": "seed",
     "quote": "Swedish Massage: This technique involves long, gliding strokes and kneading to promote relaxation and improve circulation."
    },
    "pressure": "moderate",
    "technique": "swedish",
    "complaintId": "c1"
   },
   {
    "reason": "Pressure and release on knots that refer pain, e.g. from the upper back into the neck and head. Pressure up to moderate, adjusted at each session's check-in.",
    "evidence": {
     "file": "000_4ebec04e86095880.txt",
     "kind": "seed",
     "quote": "Trigger Point Therapy: Therapists apply pressure to specific muscle trigger points to release knots and reduce pain."
    },
    "pressure": "moderate",
    "technique": "trigger-point",
    "complaintId": "c1"
   },
   {
    "reason": "Releases the fascia around the muscles to improve movement. Pressure up to moderate, adjusted at each session's check-in.",
    "evidence": {
     "file": "000_4ebec04e86095880.txt",
     "kind": "seed",
     "quote": "Myofascial Release: This therapeutic massage technique focuses on stretching and releasing the fascia, the connective tissue surrounding muscles, to improve mobility and reduce pain."
    },
    "pressure": "moderate",
    "technique": "myofascial-release",
    "complaintId": "c1"
   },
   {
    "reason": "Assisted stretching restores flexibility and reduces tightness. Pressure up to moderate, adjusted at each session's check-in.",
    "evidence": {
     "file": "000_4ebec04e86095880.txt",
     "kind": "seed",
     "quote": "Stretching: Your therapist may incorporate assisted stretching to improve flexibility and reduce muscle tightness."
    },
    "pressure": "moderate",
    "technique": "assisted-stretching",
    "complaintId": "c1"
   },
   {
    "reason": "Heat before the work relaxes chronically tight muscle. Pressure up to moderate, adjusted at each session's check-in.",
    "evidence": {
     "file": "000_4ebec04e86095880.txt",
     "kind": "seed",
     "quote": "Hot/Cold Therapy: Heat or cold packs can be combined with massage to reduce inflammation and alleviate pain."
    },
    "pressure": "moderate",
    "technique": "hot-cold",
    "complaintId": "c1"
   }
  ],
  "adjustments": [
   {
    "delta": {
     "max": 1,
     "min": 0,
     "likely": 0
    },
    "factor": "general-health",
    "reason": "Fair general health may need one more session.",
    "evidence": {
     "file": "000_4ebec04e86095880.txt",
     "kind": "seed",
     "quote": "Age, general health, and forbearance to massage pressure can impact the number of therapeutic massage sessions needed."
    }
   }
  ],
  "restrictions": {
   "blocked": false,
   "avoidAreas": [],
   "clearances": [],
   "maxPressure": "deep",
   "excludedTechniques": []
  },
  "approachChanges": 0,
  "expectedSessions": {
   "value": {
    "max": 17,
    "min": 8,
    "likely": 13
   },
   "reason": "8–17, most likely 13 sessions over about 10–21, most likely 16 weeks before maintenance.",
   "evidence": {
    "kind": "trial",
    "design": "randomised trial",
    "finding": "Ten weekly massage sessions (structural or relaxation) improved function in chronic low back pain more than usual care.",
    "citation": "Cherkin DC, Sherman KJ, Kahn J, et al. A comparison of the effects of 2 types of massage and usual care on chronic low back pain: a randomized, controlled trial. Ann Intern Med. 2011;155(1):1-9."
   }
  },
  "currentPhaseIndex": 0,
  "excludedTechniques": [
   {
    "reason": "Needs at least firm pressure; the limit is moderate.",
    "technique": "deep-tissue",
    "complaintId": "c1"
   }
  ],
  "phaseStartedAtSession": 0,
  "approachStartedAtSession": 0
 },
 "planBlocked": {
  "reason": "Massage is not started: Signs of a possible blood clot in a vein (deep-vein thrombosis). Please see a physician first.",
  "status": "blocked",
  "blocked": true,
  "version": 1,
  "findings": [
   {
    "ruleId": "red-flag.suspected-dvt",
    "finding": "Signs of a possible blood clot in a vein (deep-vein thrombosis).",
    "outcome": "REFER_DO_NOT_TREAT",
    "referTo": "physician",
    "urgency": "emergency",
    "evidence": {
     "kind": "clinical-practice",
     "seed": {
      "file": "002_3d42c194f5f5fefd.txt",
      "quote": "During this first session, they will probably ask you a series of general health questions to get a clear picture of any existing medical conditions you might have or any medications you’re taking at the time."
     },
     "statement": "Massage over a clot can dislodge it (pulmonary embolism). Red-flag screening is standard clinical practice (listed in massage-therapy training and in guideline red-flag lists such as NICE NG59 for back pain); no trial tests it."
    }
   }
  ],
  "referral": {
   "to": "physician",
   "reason": "Signs of a possible blood clot in a vein (deep-vein thrombosis).",
   "urgency": "emergency"
  },
  "changeLog": [
   {
    "at": "2026-11-28T23:57:56.236Z",
    "by": "019792a1-9558-4064-8b8f-a44018d50975",
    "reason": "Massage is not started: Signs of a possible blood clot in a vein (deep-vein thrombosis). Please see a physician first.",
    "changes": [
     "No treatment schedule: referral proposed."
    ],
    "version": 1,
    "decision": "BLOCKED"
   }
  ],
  "createdAt": "2026-11-28T23:57:56.236Z"
 },
 "reassessment": {
  "measures": {
   "ndi": 12,
   "pain": [
    {
     "score": 4,
     "complaintId": "c1"
    }
   ],
   "psfs": [
    {
     "score": 7,
     "activity": "driving"
    }
   ]
  },
  "evaluation": {
   "overall": "improving",
   "results": [
    {
     "status": "met",
     "current": 4,
     "measure": "pain-nrs",
     "baseline": 7,
     "benchmarkId": "pain-nrs:c1",
     "complaintId": "c1",
     "improvement": 3,
     "improvementPercent": 42.9
    },
    {
     "status": "met",
     "current": 7,
     "measure": "psfs",
     "baseline": 4,
     "benchmarkId": "psfs",
     "improvement": 3,
     "improvementPercent": 75
    },
    {
     "status": "improving",
     "current": 12,
     "measure": "ndi",
     "baseline": 18,
     "benchmarkId": "ndi",
     "improvement": 6,
     "improvementPercent": 33.3
    }
   ],
   "summary": "Improving: 2 of 3 benchmark(s) met so far."
  },
  "proposal": {
   "plan": {
    "intake": {
     "age": 39,
     "goals": [
      "pain-relief",
      "mobility"
     ],
     "health": {},
     "function": {
      "ndi": 18,
      "psfs": [
       {
        "score": 4,
        "activity": "driving"
       }
      ]
     },
     "lifestyle": {
      "sleep": "good",
      "stress": 4,
      "activity": "moderate",
      "workPosture": "desk"
     },
     "assessedAt": "2026-09-21T08:00:00.000Z",
     "commitment": {
      "sessionsPerWeek": 1
     },
     "complaints": [
      {
       "id": "c1",
       "side": "central",
       "cause": "posture",
       "region": "neck",
       "painNow": 7,
       "onsetDate": "2026-02-22",
       "onsetDays": 211,
       "painWorst": 9,
       "chronicity": "chronic"
      }
     ],
     "conditions": [],
     "medications": [],
     "generalHealth": "good",
     "pressureTolerance": "firm",
     "selfCareWillingness": "some"
    },
    "phases": [
     {
      "kind": "initial",
      "index": 0,
      "label": "Initial phase",
      "purpose": "Build momentum on chronic neck pain.",
      "sessions": {
       "value": {
        "max": 12,
        "min": 9,
        "likely": 12
       },
       "reason": "About 4 weeks of sessions: the dose that worked in the neck-pain trial.",
       "evidence": {
        "kind": "trial",
        "design": "randomised trial",
        "finding": "For chronic neck pain, 60-minute sessions two or three times a week for 4 weeks gave better short-term results than 30-minute sessions.",
        "citation": "Sherman KJ, Cook AJ, Wellman RD, et al. Five-week outcomes from a dosing trial of therapeutic massage for chronic neck pain. Ann Fam Med. 2014;12(2):112-120."
       }
      },
      "frequency": {
       "value": {
        "perWeeks": 1,
        "sessions": 1
       },
       "reason": "Once a week: the most you can attend (recommended: 3 times a week). The same number of sessions takes longer.",
       "evidence": {
        "file": "001_1a27680e51b9f122.txt",
        "kind": "seed",
        "quote": "Your ability to adhere to the recommended frequency and guidance also plays a role."
       }
      },
      "reassessment": {
       "value": {
        "everyWeeks": 4,
        "everySessions": 4
       },
       "reason": "Every 4 sessions or 4 weeks, whichever comes first, we measure again and compare with your starting point.",
       "evidence": {
        "kind": "clinical-practice",
        "seed": {
         "file": "001_1a27680e51b9f122.txt",
         "quote": "Regular re-assessments by your therapist are key."
        },
        "statement": "A 4-session / 4-week re-assessment cadence. Clinical practice; no trial backs this number."
       }
      },
      "durationWeeks": {
       "value": {
        "max": 12,
        "min": 9,
        "likely": 12
       },
       "reason": "9–12, most likely 12 weeks, once a week.",
       "evidence": {
        "kind": "trial",
        "design": "randomised trial",
        "finding": "For chronic neck pain, 60-minute sessions two or three times a week for 4 weeks gave better short-term results than 30-minute sessions.",
        "citation": "Sherman KJ, Cook AJ, Wellman RD, et al. Five-week outcomes from a dosing trial of therapeutic massage for chronic neck pain. Ann Fam Med. 2014;12(2):112-120."
       }
      },
      "sessionLengthMinutes": {
       "value": 60,
       "reason": "60-minute sessions worked better than 30-minute ones for chronic neck pain.",
       "evidence": {
        "kind": "trial",
        "design": "randomised trial",
        "finding": "For chronic neck pain, 60-minute sessions two or three times a week for 4 weeks gave better short-term results than 30-minute sessions.",
        "citation": "Sherman KJ, Cook AJ, Wellman RD, et al. Five-week outcomes from a dosing trial of therapeutic massage for chronic neck pain. Ann Fam Med. 2014;12(2):112-120."
       }
      }
     },
     {
      "kind": "tapering",
      "index": 1,
      "label": "Tapering phase",
      "purpose": "Space visits out while you keep the gains with home care.",
      "sessions": {
       "value": {
        "max": 4,
        "min": 2,
        "likely": 3
       },
       "reason": "2–4, most likely 3 spaced-out sessions to check the improvement holds.",
       "evidence": {
        "kind": "clinical-practice",
        "seed": {
         "file": "001_1a27680e51b9f122.txt",
         "quote": "Over time, the frequency of visits may decrease."
        },
        "statement": "Tapering session count. Clinical practice; no trial backs this number."
       }
      },
      "frequency": {
       "value": {
        "perWeeks": 2,
        "sessions": 1
       },
       "reason": "Every 2 weeks as you improve.",
       "evidence": {
        "kind": "clinical-practice",
        "seed": {
         "file": "001_1a27680e51b9f122.txt",
         "quote": "Over time, the frequency of visits may decrease."
        },
        "statement": "Fortnightly visits while tapering. Clinical practice; no trial backs this number."
       }
      },
      "reassessment": {
       "value": {
        "everyWeeks": 6,
        "everySessions": 3
       },
       "reason": "At the end of tapering we measure again before moving to maintenance.",
       "evidence": {
        "kind": "clinical-practice",
        "seed": {
         "file": "003_7e1ef6efea98f03b.txt",
         "quote": "Periodic assessments and benchmarks allow the client and therapist to track the progress of the treatments and to make any necessary adjustments as time progresses."
        },
        "statement": "Re-assessment at the end of tapering. Clinical practice; no trial backs this number."
       }
      },
      "durationWeeks": {
       "value": {
        "max": 8,
        "min": 4,
        "likely": 6
       },
       "reason": "4–8, most likely 6 weeks, every 2 weeks.",
       "evidence": {
        "kind": "clinical-practice",
        "seed": {
         "file": "001_1a27680e51b9f122.txt",
         "quote": "Over time, the frequency of visits may decrease."
        },
        "statement": "Follows from the tapering count and frequency. Clinical practice; no trial backs this number."
       }
      },
      "sessionLengthMinutes": {
       "value": 60,
       "reason": "Same length as the initial sessions.",
       "evidence": {
        "kind": "trial",
        "design": "randomised trial",
        "finding": "For chronic neck pain, 60-minute sessions two or three times a week for 4 weeks gave better short-term results than 30-minute sessions.",
        "citation": "Sherman KJ, Cook AJ, Wellman RD, et al. Five-week outcomes from a dosing trial of therapeutic massage for chronic neck pain. Ann Fam Med. 2014;12(2):112-120."
       }
      }
     },
     {
      "kind": "maintenance",
      "index": 2,
      "label": "Maintenance",
      "purpose": "Keep the gains and prevent the pain coming back.",
      "sessions": {
       "value": {
        "max": 13,
        "min": 4,
        "likely": 7
       },
       "reason": "4–13, most likely 7 visits a year (every 1 to 3 months).",
       "evidence": {
        "kind": "clinical-practice",
        "seed": {
         "file": "001_1a27680e51b9f122.txt",
         "quote": "Following this initial period, maintenance visits could be scheduled anywhere from once every 1 to 3 months."
        },
        "statement": "Maintenance every 1 to 3 months is clinical practice described by the seed documents; no trial has tested maintenance intervals, so this is not trial evidence."
       }
      },
      "frequency": {
       "value": {
        "perWeeks": 8,
        "sessions": 1
       },
       "reason": "Every 8 weeks (about every 2 months) to keep the gains; can move between 1 and 3 months as you need.",
       "evidence": {
        "kind": "clinical-practice",
        "seed": {
         "file": "001_1a27680e51b9f122.txt",
         "quote": "Following this initial period, maintenance visits could be scheduled anywhere from once every 1 to 3 months."
        },
        "statement": "Maintenance every 1 to 3 months is clinical practice described by the seed documents; no trial has tested maintenance intervals, so this is not trial evidence."
       }
      },
      "reassessment": {
       "value": {
        "everyWeeks": 24,
        "everySessions": 3
       },
       "reason": "Every third maintenance visit we measure again to make sure the gains hold.",
       "evidence": {
        "kind": "clinical-practice",
        "seed": {
         "file": "004_416bb208d7fb7e85.txt",
         "quote": "- Customized Treatment Plans: Ongoing assessments by a qualified therapist allow for adjustments to the treatment plan, ensuring it remains effective as the individual’s needs change."
        },
        "statement": "Periodic re-assessment during maintenance. Clinical practice; no trial backs this number."
       }
      },
      "sessionLengthMinutes": {
       "value": 60,
       "reason": "An hour, to go over all the areas treated.",
       "evidence": {
        "kind": "clinical-practice",
        "seed": {
         "file": "004_416bb208d7fb7e85.txt",
         "quote": "- Preventing Recurrence of Pain: Regular massage therapy can help maintain the benefits achieved during initial treatment phases, preventing the recurrence of pain and related issues."
        },
        "statement": "Maintenance session length. Clinical practice; no trial backs this number."
       }
      }
     }
    ],
    "status": "active",
    "blocked": false,
    "pathway": "chronic",
    "version": 3,
    "baseline": {
     "ndi": 18,
     "pain": [
      {
       "score": 7,
       "complaintId": "c1"
      }
     ],
     "psfs": [
      {
       "score": 4,
       "activity": "driving"
      }
     ]
    },
    "findings": [],
    "homeCare": [
     {
      "kind": "stretch",
      "complaintId": "c1",
      "daysPerWeek": {
       "value": 5,
       "reason": "Short daily practice on most days extends the benefit of each session.",
       "evidence": {
        "kind": "clinical-practice",
        "seed": {
         "file": "000_4ebec04e86095880.txt",
         "quote": "Following your therapist's recommendations for stretches, exercises, and self-massage techniques can extend the benefits of each session and reduce the number of sessions required."
        },
        "statement": "Most days of the week is the usual home-programme dose. Clinical practice; no trial backs this number."
       }
      },
      "description": "Upper-trapezius stretch: ear towards shoulder, 3 × 30 seconds each side."
     },
     {
      "kind": "exercise",
      "complaintId": "c1",
      "daysPerWeek": {
       "value": 5,
       "reason": "Short daily practice on most days extends the benefit of each session.",
       "evidence": {
        "kind": "clinical-practice",
        "seed": {
         "file": "000_4ebec04e86095880.txt",
         "quote": "Following your therapist's recommendations for stretches, exercises, and self-massage techniques can extend the benefits of each session and reduce the number of sessions required."
        },
        "statement": "Most days of the week is the usual home-programme dose. Clinical practice; no trial backs this number."
       }
      },
      "description": "Chin tucks: 10 slow repetitions."
     },
     {
      "kind": "self-massage",
      "complaintId": "c1",
      "daysPerWeek": {
       "value": 5,
       "reason": "Short daily practice on most days extends the benefit of each session.",
       "evidence": {
        "kind": "clinical-practice",
        "seed": {
         "file": "000_4ebec04e86095880.txt",
         "quote": "Following your therapist's recommendations for stretches, exercises, and self-massage techniques can extend the benefits of each session and reduce the number of sessions required."
        },
        "statement": "Most days of the week is the usual home-programme dose. Clinical practice; no trial backs this number."
       }
      },
      "description": "Ball against a wall on the upper back and shoulder blades, 2–3 minutes."
     },
     {
      "kind": "posture",
      "daysPerWeek": {
       "value": 5,
       "reason": "On working days, since posture at work feeds the problem.",
       "evidence": {
        "file": "001_1a27680e51b9f122.txt",
        "kind": "seed",
        "quote": "Therapists can also offer guidance on posture and movement."
       }
      },
      "description": "Change position or stand up every 30–45 minutes at work; screen at eye level."
     }
    ],
    "protocol": {
     "id": "chronic-neck",
     "description": "Chronic neck pain: 60 minutes two or three times a week for 4 weeks (Sherman 2014)"
    },
    "severity": {
     "value": "severe",
     "reason": "Pain now 7/10 is severe (1–4 mild, 5–6 moderate, 7–10 severe).",
     "evidence": {
      "kind": "trial",
      "design": "measurement study",
      "finding": "On the 0–10 scale, 1–4 is mild, 5–6 moderate and 7–10 severe pain, by how much it interferes with daily life.",
      "citation": "Serlin RC, Mendoza TR, Nakamura Y, Edwards KR, Cleeland CS. When is cancer pain mild, moderate or severe? Grading pain severity by its interference with function. Pain. 1995;61(2):277-284."
     }
    },
    "warnings": [
     {
      "code": "COMMITMENT_BELOW_RECOMMENDED",
      "message": "Recommended 3 times a week at first; you can attend once a week."
     }
    ],
    "changeLog": [
     {
      "at": "2026-11-28T23:57:55.748Z",
      "by": "019792a1-9558-4064-8b8f-a44018d50975",
      "reason": "Proposed from the intake: chronic neck pain, severe pain.",
      "changes": [
       "Protocol: Chronic neck pain: 60 minutes two or three times a week for 4 weeks (Sherman 2014)."
      ],
      "version": 1,
      "decision": "PROPOSED"
     },
     {
      "at": "2026-11-28T23:57:55.753Z",
      "by": "019792a1-9558-4064-8b8f-a44018d50975",
      "reason": "Agreed with the client at intake",
      "changes": [
       "Plan accepted."
      ],
      "version": 2,
      "decision": "ACCEPTED"
     },
     {
      "at": "2026-10-13T09:00:00.000Z",
      "by": "019792a1-9558-4064-8b8f-a44018d50975",
      "reason": "Improving: Improving: 2 of 3 benchmark(s) met so far. We continue once a week.",
      "changes": [
       "No change to the plan."
      ],
      "version": 3,
      "decision": "CONTINUE"
     }
    ],
    "createdAt": "2026-11-28T23:57:55.748Z",
    "benchmarks": [
     {
      "id": "pain-nrs:c1",
      "target": 5,
      "measure": "pain-nrs",
      "baseline": 7,
      "direction": "decrease",
      "threshold": {
       "value": {
        "points": 2,
        "percent": 30
       },
       "reason": "Pain down by at least 2 points or 30 % on the 0–10 scale: the smallest change people notice as real relief.",
       "evidence": {
        "kind": "trial",
        "design": "measurement study",
        "finding": "A drop of about 2 points or 30 % on the 0–10 pain scale is what patients experience as a meaningful improvement.",
        "citation": "Farrar JT, Young JP Jr, LaMoreaux L, Werth JL, Poole RM. Clinical importance of changes in chronic pain intensity measured on an 11-point numerical pain rating scale. Pain. 2001;94(2):149-158."
       }
      },
      "complaintId": "c1"
     },
     {
      "id": "psfs",
      "target": 6,
      "measure": "psfs",
      "baseline": 4,
      "direction": "increase",
      "threshold": {
       "value": {
        "points": 2
       },
       "reason": "Your own chosen activities rated at least 2 points easier on average (0–10).",
       "evidence": {
        "kind": "trial",
        "design": "measurement study",
        "finding": "The Patient-Specific Functional Scale (0–10 per activity); a change of about 2 points is taken as clinically meaningful.",
        "citation": "Stratford P, Gill C, Westaway M, Binkley J. Assessing disability and change on individual patients: a report of a patient specific measure. Physiother Can. 1995;47(4):258-263."
       }
      }
     },
     {
      "id": "ndi",
      "target": 8,
      "measure": "ndi",
      "baseline": 18,
      "direction": "decrease",
      "threshold": {
       "value": {
        "points": 10
       },
       "reason": "Neck-related disability (Neck Disability Index, 0–50) down by 10 points.",
       "evidence": {
        "kind": "clinical-practice",
        "statement": "Published minimal important changes for the NDI vary between studies (roughly 5 to 10 of 50; see MacDermid et al., J Orthop Sports Phys Ther 2009 review); 10 of 50 is a conservative clinical choice. No trial fixes this number."
       }
      }
     }
    ],
    "techniques": [
     {
      "reason": "Long, gliding strokes warm the area, ease guarding and help circulation. Pressure up to firm, adjusted at each session's check-in.",
      "evidence": {
       "file": "000_4ebec04e86095880.txt",
       "kind": "seed",
       "quote": "Swedish Massage: This technique involves long, gliding strokes and kneading to promote relaxation and improve circulation."
      },
      "pressure": "firm",
      "technique": "swedish",
      "complaintId": "c1"
     },
     {
      "reason": "Works the deeper muscle layers to release long-standing tension. Pressure up to firm, adjusted at each session's check-in.",
      "evidence": {
       "file": "000_4ebec04e86095880.txt",
       "kind": "seed",
       "quote": "Deep Tissue Massage: Deep tissue massage targets deeper layers of muscle tissue to release chronic tension and alleviate pain."
      },
      "pressure": "firm",
      "technique": "deep-tissue",
      "complaintId": "c1"
     },
     {
      "reason": "Pressure and release on knots that refer pain, e.g. from the upper back into the neck and head. Pressure up to firm, adjusted at each session's check-in.",
      "evidence": {
       "file": "000_4ebec04e86095880.txt",
       "kind": "seed",
       "quote": "Trigger Point Therapy: Therapists apply pressure to specific muscle trigger points to release knots and reduce pain."
      },
      "pressure": "firm",
      "technique": "trigger-point",
      "complaintId": "c1"
     },
     {
      "reason": "Releases the fascia around the muscles to improve movement. Pressure up to firm, adjusted at each session's check-in.",
      "evidence": {
       "file": "000_4ebec04e86095880.txt",
       "kind": "seed",
       "quote": "Myofascial Release: This therapeutic massage technique focuses on stretching and releasing the fascia, the connective tissue surrounding muscles, to improve mobility and reduce pain."
      },
      "pressure": "firm",
      "technique": "myofascial-release",
      "complaintId": "c1"
     },
     {
      "reason": "Assisted stretching restores flexibility and reduces tightness. Pressure up to firm, adjusted at each session's check-in.",
      "evidence": {
       "file": "000_4ebec04e86095880.txt",
       "kind": "seed",
       "quote": "Stretching: Your therapist may incorporate assisted stretching to improve flexibility and reduce muscle tightness."
      },
      "pressure": "firm",
      "technique": "assisted-stretching",
      "complaintId": "c1"
     },
     {
      "reason": "Heat before the work relaxes chronically tight muscle. Pressure up to firm, adjusted at each session's check-in.",
      "evidence": {
       "file": "000_4ebec04e86095880.txt",
       "kind": "seed",
       "quote": "Hot/Cold Therapy: Heat or cold packs can be combined with massage to reduce inflammation and alleviate pain."
      },
      "pressure": "firm",
      "technique": "hot-cold",
      "complaintId": "c1"
     }
    ],
    "adjustments": [],
    "restrictions": {
     "blocked": false,
     "avoidAreas": [],
     "clearances": [],
     "maxPressure": "deep",
     "excludedTechniques": []
    },
    "approachChanges": 0,
    "expectedSessions": {
     "value": {
      "max": 16,
      "min": 11,
      "likely": 15
     },
     "reason": "11–16, most likely 15 sessions over about 13–20, most likely 18 weeks before maintenance.",
     "evidence": {
      "kind": "trial",
      "design": "randomised trial",
      "finding": "For chronic neck pain, 60-minute sessions two or three times a week for 4 weeks gave better short-term results than 30-minute sessions.",
      "citation": "Sherman KJ, Cook AJ, Wellman RD, et al. Five-week outcomes from a dosing trial of therapeutic massage for chronic neck pain. Ann Fam Med. 2014;12(2):112-120."
     }
    },
    "currentPhaseIndex": 0,
    "excludedTechniques": [],
    "phaseStartedAtSession": 0,
    "approachStartedAtSession": 0
   },
   "reason": "Improving: Improving: 2 of 3 benchmark(s) met so far. We continue once a week.",
   "changes": [
    "No change to the plan."
   ],
   "decision": "CONTINUE"
  },
  "decision": "CONTINUE"
 },
 "note": {
  "checkin": {
   "painNow": 6,
   "painAreas": [
    "lower-back"
   ],
   "pressureToday": "firm"
  },
  "techniques": [
   {
    "areas": [
     "lower-back"
    ],
    "minutes": 30,
    "pressure": "firm",
    "technique": "myofascial-release"
   },
   {
    "areas": [
     "lower-back"
    ],
    "minutes": 20,
    "pressure": "firm",
    "technique": "trigger-point"
   }
  ],
  "soap": {
   "plan": "Continue the plan",
   "objective": "Tight lower-back",
   "assessment": "improving",
   "subjective": "Pain 6/10 on arrival"
  },
  "homeCare": [
   {
    "kind": "stretch",
    "daysPerWeek": 5,
    "description": "Daily stretches as shown"
   }
  ]
 }
};

type Json = Record<string, unknown>;
export interface ScaleSamples {
  intakeData: Json;
  intakeFindings: unknown[];
  planProposed: Json;
  planAccepted: Json;
  planBlocked: Json;
  reassessment: { measures: Json; evaluation: Json; proposal: Json; decision: string };
  note: { checkin: Json; techniques: unknown[]; soap: Json; homeCare: unknown[] };
}
