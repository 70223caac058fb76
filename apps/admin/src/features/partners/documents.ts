import { graphql } from '../../gql';

/** The partners page's operations (the API's partnership module). */

export const PARTNER_FIELDS = graphql(`
  fragment PartnerFields on ReferralPartner {
    id
    direction
    status
    note
    createdAt
    respondedAt
    endedAt
    endedByOrganizationId
    endReason
    partnerOrganization {
      id
      name
      slug
    }
  }
`);

export const REFERRAL_PARTNERS = graphql(`
  query ReferralPartners {
    referralPartners {
      ...PartnerFields
    }
  }
`);

export const INVITE_PARTNER = graphql(`
  mutation InvitePartner($input: InvitePartnerInput!) {
    invitePartner(input: $input) {
      ...PartnerFields
    }
  }
`);

export const RESPOND_TO_PARTNER_INVITATION = graphql(`
  mutation RespondToPartnerInvitation($input: RespondToPartnerInvitationInput!) {
    respondToPartnerInvitation(input: $input) {
      ...PartnerFields
    }
  }
`);

export const END_PARTNERSHIP = graphql(`
  mutation EndPartnership($input: EndPartnershipInput!) {
    endPartnership(input: $input) {
      ...PartnerFields
    }
  }
`);
