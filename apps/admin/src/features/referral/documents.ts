import { graphql } from '../../gql';

/** A referral as its page shows it; every action answers with it, so the cache updates the page. */
export const REFERRAL_DETAIL = graphql(`
  fragment ReferralDetail on Referral {
    id
    side
    status
    urgency
    reason
    clinicalQuestion
    sharedRecords
    overdue
    createdAt
    sentAt
    dueAt
    validUntil
    appointmentId
    allowedActions
    consent {
      method
      recordedAt
      recordedBy
      endsOn
      withdrawnAt
      live
    }
    client {
      displayName
      dateOfBirth
      phone
      email
      localClientId
    }
    from {
      organizationName
      clinicName
      practitionerName
    }
    to {
      organizationName
      clinicName
      practitionerName
      discipline
    }
    reply {
      findings
      treatment
      recommendations
      onwardReferral
      repliedAt
      repliedByName
    }
    events {
      id
      fromStatus
      toStatus
      actorName
      byOwnOrganization
      reason
      at
    }
  }
`);

export const REFERRAL = graphql(`
  query Referral($id: ID!) {
    referral(id: $id) {
      ...ReferralDetail
    }
  }
`);

export const SHARED_RECORDS_QUERY = graphql(`
  query ReferralSharedRecords($referralId: ID!) {
    referralSharedRecords(referralId: $referralId) {
      referralId
      consented
      intakeSummary {
        id
        version
        recordedAt
        blocked
        intake
        findings
      }
      currentPlan {
        id
        status
        version
        changedAt
        body
      }
      outcomeHistory {
        at
        source
        painNrs
        psfs
        odi
        ndi
      }
      signedNotes {
        id
        signedAt
        durationMinutes
        painBefore
        painAfter
        soap
        techniques
        addenda
      }
    }
  }
`);

export const SEND_REFERRAL = graphql(`
  mutation SendReferral($id: ID!) {
    sendReferral(id: $id) {
      ...ReferralDetail
    }
  }
`);

export const ACCEPT_REFERRAL = graphql(`
  mutation AcceptReferral($input: AcceptReferralInput!) {
    acceptReferral(input: $input) {
      ...ReferralDetail
    }
  }
`);

export const DECLINE_REFERRAL = graphql(`
  mutation DeclineReferral($input: ReferralReasonInput!) {
    declineReferral(input: $input) {
      ...ReferralDetail
    }
  }
`);

export const CANCEL_REFERRAL = graphql(`
  mutation CancelReferral($input: ReferralReasonInput!) {
    cancelReferral(input: $input) {
      ...ReferralDetail
    }
  }
`);

export const WITHDRAW_CONSENT = graphql(`
  mutation WithdrawReferralConsent($input: ReferralReasonInput!) {
    withdrawReferralConsent(input: $input) {
      ...ReferralDetail
    }
  }
`);

export const CLOSE_REFERRAL = graphql(`
  mutation CloseReferral($id: ID!) {
    closeReferral(id: $id) {
      ...ReferralDetail
    }
  }
`);

export const ASSIGN_REFERRAL = graphql(`
  mutation AssignReferral($input: AssignReferralInput!) {
    assignReferral(input: $input) {
      ...ReferralDetail
    }
  }
`);

export const LINK_REFERRAL_CLIENT = graphql(`
  mutation LinkReferralClient($input: LinkReferralClientInput!) {
    linkReferralClient(input: $input) {
      ...ReferralDetail
    }
  }
`);

export const COMPLETE_REFERRAL = graphql(`
  mutation CompleteReferral($input: CompleteReferralInput!) {
    completeReferral(input: $input) {
      ...ReferralDetail
    }
  }
`);

export const BOOK_REFERRAL_APPOINTMENT = graphql(`
  mutation BookReferralAppointment($input: BookAppointmentInput!) {
    bookAppointment(input: $input) {
      id
      localStart
      clinic {
        id
        name
      }
      practitioner {
        id
        displayName
      }
    }
  }
`);

/** The thread on its own query: polled while the page is open, so the other side's messages arrive. */
export const REFERRAL_THREAD = graphql(`
  query ReferralThread($id: ID!) {
    referral(id: $id) {
      id
      unreadCount
      allowedActions
      messages {
        id
        authorName
        body
        createdAt
        fromOwnOrganization
        mine
      }
    }
  }
`);

export const POST_REFERRAL_MESSAGE = graphql(`
  mutation PostReferralMessage($input: PostReferralMessageInput!) {
    postReferralMessage(input: $input) {
      id
    }
  }
`);

export const MARK_REFERRAL_READ = graphql(`
  mutation MarkReferralRead($referralId: ID!) {
    markReferralRead(referralId: $referralId) {
      id
      unreadCount
    }
  }
`);

export const UNREAD_REFERRAL_MESSAGES = graphql(`
  query UnreadReferralMessages {
    unreadReferralMessages
  }
`);
