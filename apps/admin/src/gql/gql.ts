/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      ...SessionFields\n    }\n  }\n": typeof types.AcceptInvitationDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      ...SessionFields\n    }\n  }\n": typeof types.SignInDocument,
    "\n  mutation CreateClient($input: CreateClientInput!) {\n    createClient(input: $input) {\n      id\n      firstName\n      lastName\n    }\n  }\n": typeof types.CreateClientDocument,
    "\n  query ClientPage($id: ID!) {\n    client(id: $id) {\n      id\n      firstName\n      lastName\n      preferredName\n      dateOfBirth\n      phone\n      email\n      clinicIds\n      reminderConsent\n      preferredChannels\n      emergencyContact {\n        name\n        phone\n        relationship\n      }\n      createdAt\n    }\n  }\n": typeof types.ClientPageDocument,
    "\n  query ClientAppointments($clientId: ID!) {\n    clientChart(clientId: $clientId) {\n      appointments {\n        id\n        localStart\n        durationMinutes\n        status\n        kind\n        timeZone\n        clinic {\n          id\n          name\n        }\n        practitioner {\n          id\n          displayName\n        }\n      }\n    }\n  }\n": typeof types.ClientAppointmentsDocument,
    "\n  query Clients($first: Int!, $after: String, $search: String, $clinicId: ID) {\n    clients(first: $first, after: $after, search: $search, clinicId: $clinicId) {\n      totalCount\n      totalCountCapped\n      edges {\n        cursor\n        node {\n          id\n          firstName\n          lastName\n          preferredName\n          dateOfBirth\n          phone\n          email\n          clinicIds\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ClientsDocument,
    "\n  query Clinic($id: ID!) {\n    clinic(id: $id) {\n      id\n      name\n      addressLine1\n      addressLine2\n      city\n      region\n      postalCode\n      country\n      timeZone\n      phone\n      maxBookingHorizonDays\n      createdAt\n      openingHours {\n        weekday\n        start\n        end\n      }\n      rooms {\n        id\n        clinicId\n        name\n      }\n    }\n  }\n": typeof types.ClinicDocument,
    "\n  mutation CreateRoom($input: CreateRoomInput!) {\n    createRoom(input: $input) {\n      id\n      clinicId\n      name\n    }\n  }\n": typeof types.CreateRoomDocument,
    "\n  mutation UpdateClinicBookingHorizon($id: ID!, $input: UpdateClinicInput!) {\n    updateClinic(id: $id, input: $input) {\n      id\n      maxBookingHorizonDays\n    }\n  }\n": typeof types.UpdateClinicBookingHorizonDocument,
    "\n  mutation CreateClinic($input: CreateClinicInput!) {\n    createClinic(input: $input) {\n      id\n      name\n      timeZone\n    }\n  }\n": typeof types.CreateClinicDocument,
    "\n  query ClinicPlaces {\n    clinics(first: 100) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          country\n          timeZone\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ClinicPlacesDocument,
    "\n  query Clinics($first: Int!, $after: String) {\n    clinics(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          addressLine1\n          city\n          postalCode\n          country\n          timeZone\n          phone\n          openingHours {\n            weekday\n            start\n            end\n          }\n          rooms {\n            id\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ClinicsDocument,
    "\n  query Dashboard($clinicId: ID) {\n    practitioners(first: 50, clinicId: $clinicId) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          displayName\n          discipline\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.DashboardDocument,
    "\n  query DashboardStaff {\n    members(first: 50) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          status\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.DashboardStaffDocument,
    "\n  query ReferralDirectory($first: Int!, $after: String, $filter: DirectoryFilter) {\n    referralDirectory(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          discipline\n          isOwnOrganization\n          practitioner {\n            id\n            displayName\n            discipline\n            modalities\n          }\n          clinic {\n            id\n            name\n            addressLine1\n            postalCode\n            city\n            country\n            timeZone\n          }\n          organization {\n            id\n            name\n            slug\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ReferralDirectoryDocument,
    "\n  fragment PartnerFields on ReferralPartner {\n    id\n    direction\n    status\n    note\n    createdAt\n    respondedAt\n    endedAt\n    endedByOrganizationId\n    endReason\n    partnerOrganization {\n      id\n      name\n      slug\n    }\n  }\n": typeof types.PartnerFieldsFragmentDoc,
    "\n  query ReferralPartners {\n    referralPartners {\n      ...PartnerFields\n    }\n  }\n": typeof types.ReferralPartnersDocument,
    "\n  mutation InvitePartner($input: InvitePartnerInput!) {\n    invitePartner(input: $input) {\n      ...PartnerFields\n    }\n  }\n": typeof types.InvitePartnerDocument,
    "\n  mutation RespondToPartnerInvitation($input: RespondToPartnerInvitationInput!) {\n    respondToPartnerInvitation(input: $input) {\n      ...PartnerFields\n    }\n  }\n": typeof types.RespondToPartnerInvitationDocument,
    "\n  mutation EndPartnership($input: EndPartnershipInput!) {\n    endPartnership(input: $input) {\n      ...PartnerFields\n    }\n  }\n": typeof types.EndPartnershipDocument,
    "\n  query PractitionerHours($id: ID!) {\n    practitioner(id: $id) {\n      id\n      displayName\n      discipline\n      availability {\n        id\n        clinicId\n        weekday\n        start\n        end\n        clinic {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.PractitionerHoursDocument,
    "\n  mutation SetPractitionerAvailability($practitionerId: ID!, $windows: [AvailabilityInput!]!) {\n    setPractitionerAvailability(practitionerId: $practitionerId, windows: $windows) {\n      id\n      availability {\n        id\n        clinicId\n        weekday\n        start\n        end\n      }\n    }\n  }\n": typeof types.SetPractitionerAvailabilityDocument,
    "\n  mutation ClearPractitionerAvailability($practitionerId: ID!, $clinicId: ID!) {\n    clearPractitionerAvailability(practitionerId: $practitionerId, clinicId: $clinicId) {\n      id\n      availability {\n        id\n        clinicId\n        weekday\n        start\n        end\n      }\n    }\n  }\n": typeof types.ClearPractitionerAvailabilityDocument,
    "\n  mutation CreatePractitioner($input: CreatePractitionerInput!) {\n    createPractitioner(input: $input) {\n      id\n      displayName\n    }\n  }\n": typeof types.CreatePractitionerDocument,
    "\n  query Practitioners($first: Int!, $after: String, $clinicId: ID, $discipline: Discipline) {\n    practitioners(first: $first, after: $after, clinicId: $clinicId, discipline: $discipline) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          displayName\n          discipline\n          modalities\n          email\n          availability {\n            id\n            clinicId\n            weekday\n            start\n            end\n            clinic {\n              id\n              name\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.PractitionersDocument,
    "\n  query Members($first: Int!, $after: String) {\n    members(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          role\n          clinicIds\n          status\n          user {\n            id\n            email\n            displayName\n            status\n          }\n          practitioner {\n            id\n            displayName\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.MembersDocument,
    "\n  mutation InviteStaff($input: InviteStaffInput!) {\n    inviteStaff(input: $input) {\n      id\n      email\n      displayName\n      role\n      practitionerId\n      expiresAt\n    }\n  }\n": typeof types.InviteStaffDocument,
    "\n  query StaffPractitioners {\n    practitioners(first: 200) {\n      nodes {\n        id\n        displayName\n        userId\n      }\n    }\n  }\n": typeof types.StaffPractitionersDocument,
    "\n  mutation LinkPractitionerLogin($practitionerId: ID!, $userId: ID!) {\n    linkPractitionerLogin(practitionerId: $practitionerId, userId: $userId) {\n      id\n      userId\n    }\n  }\n": typeof types.LinkPractitionerLoginDocument,
    "\n  mutation UnlinkPractitionerLogin($practitionerId: ID!) {\n    unlinkPractitionerLogin(practitionerId: $practitionerId) {\n      id\n      userId\n    }\n  }\n": typeof types.UnlinkPractitionerLoginDocument,
    "\n  fragment MeFields on Me {\n    user {\n      id\n      email\n      displayName\n    }\n    organization {\n      id\n      name\n      slug\n    }\n    roles\n    clinicIds\n  }\n": typeof types.MeFieldsFragmentDoc,
    "\n  fragment SessionFields on AuthPayload {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    me {\n      ...MeFields\n    }\n  }\n": typeof types.SessionFieldsFragmentDoc,
    "\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) {\n      ...SessionFields\n    }\n  }\n": typeof types.RefreshSessionDocument,
    "\n  mutation SignOut($refreshToken: String!) {\n    signOut(refreshToken: $refreshToken)\n  }\n": typeof types.SignOutDocument,
    "\n  query ClinicOptions {\n    clinics(first: 100) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          city\n          timeZone\n          openingHours {\n            weekday\n            start\n            end\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ClinicOptionsDocument,
};
const documents: Documents = {
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      ...SessionFields\n    }\n  }\n": types.AcceptInvitationDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      ...SessionFields\n    }\n  }\n": types.SignInDocument,
    "\n  mutation CreateClient($input: CreateClientInput!) {\n    createClient(input: $input) {\n      id\n      firstName\n      lastName\n    }\n  }\n": types.CreateClientDocument,
    "\n  query ClientPage($id: ID!) {\n    client(id: $id) {\n      id\n      firstName\n      lastName\n      preferredName\n      dateOfBirth\n      phone\n      email\n      clinicIds\n      reminderConsent\n      preferredChannels\n      emergencyContact {\n        name\n        phone\n        relationship\n      }\n      createdAt\n    }\n  }\n": types.ClientPageDocument,
    "\n  query ClientAppointments($clientId: ID!) {\n    clientChart(clientId: $clientId) {\n      appointments {\n        id\n        localStart\n        durationMinutes\n        status\n        kind\n        timeZone\n        clinic {\n          id\n          name\n        }\n        practitioner {\n          id\n          displayName\n        }\n      }\n    }\n  }\n": types.ClientAppointmentsDocument,
    "\n  query Clients($first: Int!, $after: String, $search: String, $clinicId: ID) {\n    clients(first: $first, after: $after, search: $search, clinicId: $clinicId) {\n      totalCount\n      totalCountCapped\n      edges {\n        cursor\n        node {\n          id\n          firstName\n          lastName\n          preferredName\n          dateOfBirth\n          phone\n          email\n          clinicIds\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ClientsDocument,
    "\n  query Clinic($id: ID!) {\n    clinic(id: $id) {\n      id\n      name\n      addressLine1\n      addressLine2\n      city\n      region\n      postalCode\n      country\n      timeZone\n      phone\n      maxBookingHorizonDays\n      createdAt\n      openingHours {\n        weekday\n        start\n        end\n      }\n      rooms {\n        id\n        clinicId\n        name\n      }\n    }\n  }\n": types.ClinicDocument,
    "\n  mutation CreateRoom($input: CreateRoomInput!) {\n    createRoom(input: $input) {\n      id\n      clinicId\n      name\n    }\n  }\n": types.CreateRoomDocument,
    "\n  mutation UpdateClinicBookingHorizon($id: ID!, $input: UpdateClinicInput!) {\n    updateClinic(id: $id, input: $input) {\n      id\n      maxBookingHorizonDays\n    }\n  }\n": types.UpdateClinicBookingHorizonDocument,
    "\n  mutation CreateClinic($input: CreateClinicInput!) {\n    createClinic(input: $input) {\n      id\n      name\n      timeZone\n    }\n  }\n": types.CreateClinicDocument,
    "\n  query ClinicPlaces {\n    clinics(first: 100) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          country\n          timeZone\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ClinicPlacesDocument,
    "\n  query Clinics($first: Int!, $after: String) {\n    clinics(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          addressLine1\n          city\n          postalCode\n          country\n          timeZone\n          phone\n          openingHours {\n            weekday\n            start\n            end\n          }\n          rooms {\n            id\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ClinicsDocument,
    "\n  query Dashboard($clinicId: ID) {\n    practitioners(first: 50, clinicId: $clinicId) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          displayName\n          discipline\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.DashboardDocument,
    "\n  query DashboardStaff {\n    members(first: 50) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          status\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.DashboardStaffDocument,
    "\n  query ReferralDirectory($first: Int!, $after: String, $filter: DirectoryFilter) {\n    referralDirectory(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          discipline\n          isOwnOrganization\n          practitioner {\n            id\n            displayName\n            discipline\n            modalities\n          }\n          clinic {\n            id\n            name\n            addressLine1\n            postalCode\n            city\n            country\n            timeZone\n          }\n          organization {\n            id\n            name\n            slug\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ReferralDirectoryDocument,
    "\n  fragment PartnerFields on ReferralPartner {\n    id\n    direction\n    status\n    note\n    createdAt\n    respondedAt\n    endedAt\n    endedByOrganizationId\n    endReason\n    partnerOrganization {\n      id\n      name\n      slug\n    }\n  }\n": types.PartnerFieldsFragmentDoc,
    "\n  query ReferralPartners {\n    referralPartners {\n      ...PartnerFields\n    }\n  }\n": types.ReferralPartnersDocument,
    "\n  mutation InvitePartner($input: InvitePartnerInput!) {\n    invitePartner(input: $input) {\n      ...PartnerFields\n    }\n  }\n": types.InvitePartnerDocument,
    "\n  mutation RespondToPartnerInvitation($input: RespondToPartnerInvitationInput!) {\n    respondToPartnerInvitation(input: $input) {\n      ...PartnerFields\n    }\n  }\n": types.RespondToPartnerInvitationDocument,
    "\n  mutation EndPartnership($input: EndPartnershipInput!) {\n    endPartnership(input: $input) {\n      ...PartnerFields\n    }\n  }\n": types.EndPartnershipDocument,
    "\n  query PractitionerHours($id: ID!) {\n    practitioner(id: $id) {\n      id\n      displayName\n      discipline\n      availability {\n        id\n        clinicId\n        weekday\n        start\n        end\n        clinic {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.PractitionerHoursDocument,
    "\n  mutation SetPractitionerAvailability($practitionerId: ID!, $windows: [AvailabilityInput!]!) {\n    setPractitionerAvailability(practitionerId: $practitionerId, windows: $windows) {\n      id\n      availability {\n        id\n        clinicId\n        weekday\n        start\n        end\n      }\n    }\n  }\n": types.SetPractitionerAvailabilityDocument,
    "\n  mutation ClearPractitionerAvailability($practitionerId: ID!, $clinicId: ID!) {\n    clearPractitionerAvailability(practitionerId: $practitionerId, clinicId: $clinicId) {\n      id\n      availability {\n        id\n        clinicId\n        weekday\n        start\n        end\n      }\n    }\n  }\n": types.ClearPractitionerAvailabilityDocument,
    "\n  mutation CreatePractitioner($input: CreatePractitionerInput!) {\n    createPractitioner(input: $input) {\n      id\n      displayName\n    }\n  }\n": types.CreatePractitionerDocument,
    "\n  query Practitioners($first: Int!, $after: String, $clinicId: ID, $discipline: Discipline) {\n    practitioners(first: $first, after: $after, clinicId: $clinicId, discipline: $discipline) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          displayName\n          discipline\n          modalities\n          email\n          availability {\n            id\n            clinicId\n            weekday\n            start\n            end\n            clinic {\n              id\n              name\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.PractitionersDocument,
    "\n  query Members($first: Int!, $after: String) {\n    members(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          role\n          clinicIds\n          status\n          user {\n            id\n            email\n            displayName\n            status\n          }\n          practitioner {\n            id\n            displayName\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.MembersDocument,
    "\n  mutation InviteStaff($input: InviteStaffInput!) {\n    inviteStaff(input: $input) {\n      id\n      email\n      displayName\n      role\n      practitionerId\n      expiresAt\n    }\n  }\n": types.InviteStaffDocument,
    "\n  query StaffPractitioners {\n    practitioners(first: 200) {\n      nodes {\n        id\n        displayName\n        userId\n      }\n    }\n  }\n": types.StaffPractitionersDocument,
    "\n  mutation LinkPractitionerLogin($practitionerId: ID!, $userId: ID!) {\n    linkPractitionerLogin(practitionerId: $practitionerId, userId: $userId) {\n      id\n      userId\n    }\n  }\n": types.LinkPractitionerLoginDocument,
    "\n  mutation UnlinkPractitionerLogin($practitionerId: ID!) {\n    unlinkPractitionerLogin(practitionerId: $practitionerId) {\n      id\n      userId\n    }\n  }\n": types.UnlinkPractitionerLoginDocument,
    "\n  fragment MeFields on Me {\n    user {\n      id\n      email\n      displayName\n    }\n    organization {\n      id\n      name\n      slug\n    }\n    roles\n    clinicIds\n  }\n": types.MeFieldsFragmentDoc,
    "\n  fragment SessionFields on AuthPayload {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    me {\n      ...MeFields\n    }\n  }\n": types.SessionFieldsFragmentDoc,
    "\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) {\n      ...SessionFields\n    }\n  }\n": types.RefreshSessionDocument,
    "\n  mutation SignOut($refreshToken: String!) {\n    signOut(refreshToken: $refreshToken)\n  }\n": types.SignOutDocument,
    "\n  query ClinicOptions {\n    clinics(first: 100) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          city\n          timeZone\n          openingHours {\n            weekday\n            start\n            end\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ClinicOptionsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateClient($input: CreateClientInput!) {\n    createClient(input: $input) {\n      id\n      firstName\n      lastName\n    }\n  }\n"): (typeof documents)["\n  mutation CreateClient($input: CreateClientInput!) {\n    createClient(input: $input) {\n      id\n      firstName\n      lastName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClientPage($id: ID!) {\n    client(id: $id) {\n      id\n      firstName\n      lastName\n      preferredName\n      dateOfBirth\n      phone\n      email\n      clinicIds\n      reminderConsent\n      preferredChannels\n      emergencyContact {\n        name\n        phone\n        relationship\n      }\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query ClientPage($id: ID!) {\n    client(id: $id) {\n      id\n      firstName\n      lastName\n      preferredName\n      dateOfBirth\n      phone\n      email\n      clinicIds\n      reminderConsent\n      preferredChannels\n      emergencyContact {\n        name\n        phone\n        relationship\n      }\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClientAppointments($clientId: ID!) {\n    clientChart(clientId: $clientId) {\n      appointments {\n        id\n        localStart\n        durationMinutes\n        status\n        kind\n        timeZone\n        clinic {\n          id\n          name\n        }\n        practitioner {\n          id\n          displayName\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ClientAppointments($clientId: ID!) {\n    clientChart(clientId: $clientId) {\n      appointments {\n        id\n        localStart\n        durationMinutes\n        status\n        kind\n        timeZone\n        clinic {\n          id\n          name\n        }\n        practitioner {\n          id\n          displayName\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Clients($first: Int!, $after: String, $search: String, $clinicId: ID) {\n    clients(first: $first, after: $after, search: $search, clinicId: $clinicId) {\n      totalCount\n      totalCountCapped\n      edges {\n        cursor\n        node {\n          id\n          firstName\n          lastName\n          preferredName\n          dateOfBirth\n          phone\n          email\n          clinicIds\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Clients($first: Int!, $after: String, $search: String, $clinicId: ID) {\n    clients(first: $first, after: $after, search: $search, clinicId: $clinicId) {\n      totalCount\n      totalCountCapped\n      edges {\n        cursor\n        node {\n          id\n          firstName\n          lastName\n          preferredName\n          dateOfBirth\n          phone\n          email\n          clinicIds\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Clinic($id: ID!) {\n    clinic(id: $id) {\n      id\n      name\n      addressLine1\n      addressLine2\n      city\n      region\n      postalCode\n      country\n      timeZone\n      phone\n      maxBookingHorizonDays\n      createdAt\n      openingHours {\n        weekday\n        start\n        end\n      }\n      rooms {\n        id\n        clinicId\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query Clinic($id: ID!) {\n    clinic(id: $id) {\n      id\n      name\n      addressLine1\n      addressLine2\n      city\n      region\n      postalCode\n      country\n      timeZone\n      phone\n      maxBookingHorizonDays\n      createdAt\n      openingHours {\n        weekday\n        start\n        end\n      }\n      rooms {\n        id\n        clinicId\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateRoom($input: CreateRoomInput!) {\n    createRoom(input: $input) {\n      id\n      clinicId\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation CreateRoom($input: CreateRoomInput!) {\n    createRoom(input: $input) {\n      id\n      clinicId\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateClinicBookingHorizon($id: ID!, $input: UpdateClinicInput!) {\n    updateClinic(id: $id, input: $input) {\n      id\n      maxBookingHorizonDays\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateClinicBookingHorizon($id: ID!, $input: UpdateClinicInput!) {\n    updateClinic(id: $id, input: $input) {\n      id\n      maxBookingHorizonDays\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateClinic($input: CreateClinicInput!) {\n    createClinic(input: $input) {\n      id\n      name\n      timeZone\n    }\n  }\n"): (typeof documents)["\n  mutation CreateClinic($input: CreateClinicInput!) {\n    createClinic(input: $input) {\n      id\n      name\n      timeZone\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClinicPlaces {\n    clinics(first: 100) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          country\n          timeZone\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query ClinicPlaces {\n    clinics(first: 100) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          country\n          timeZone\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Clinics($first: Int!, $after: String) {\n    clinics(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          addressLine1\n          city\n          postalCode\n          country\n          timeZone\n          phone\n          openingHours {\n            weekday\n            start\n            end\n          }\n          rooms {\n            id\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Clinics($first: Int!, $after: String) {\n    clinics(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          addressLine1\n          city\n          postalCode\n          country\n          timeZone\n          phone\n          openingHours {\n            weekday\n            start\n            end\n          }\n          rooms {\n            id\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Dashboard($clinicId: ID) {\n    practitioners(first: 50, clinicId: $clinicId) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          displayName\n          discipline\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Dashboard($clinicId: ID) {\n    practitioners(first: 50, clinicId: $clinicId) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          displayName\n          discipline\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardStaff {\n    members(first: 50) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          status\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query DashboardStaff {\n    members(first: 50) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          status\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReferralDirectory($first: Int!, $after: String, $filter: DirectoryFilter) {\n    referralDirectory(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          discipline\n          isOwnOrganization\n          practitioner {\n            id\n            displayName\n            discipline\n            modalities\n          }\n          clinic {\n            id\n            name\n            addressLine1\n            postalCode\n            city\n            country\n            timeZone\n          }\n          organization {\n            id\n            name\n            slug\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReferralDirectory($first: Int!, $after: String, $filter: DirectoryFilter) {\n    referralDirectory(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          discipline\n          isOwnOrganization\n          practitioner {\n            id\n            displayName\n            discipline\n            modalities\n          }\n          clinic {\n            id\n            name\n            addressLine1\n            postalCode\n            city\n            country\n            timeZone\n          }\n          organization {\n            id\n            name\n            slug\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PartnerFields on ReferralPartner {\n    id\n    direction\n    status\n    note\n    createdAt\n    respondedAt\n    endedAt\n    endedByOrganizationId\n    endReason\n    partnerOrganization {\n      id\n      name\n      slug\n    }\n  }\n"): (typeof documents)["\n  fragment PartnerFields on ReferralPartner {\n    id\n    direction\n    status\n    note\n    createdAt\n    respondedAt\n    endedAt\n    endedByOrganizationId\n    endReason\n    partnerOrganization {\n      id\n      name\n      slug\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReferralPartners {\n    referralPartners {\n      ...PartnerFields\n    }\n  }\n"): (typeof documents)["\n  query ReferralPartners {\n    referralPartners {\n      ...PartnerFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InvitePartner($input: InvitePartnerInput!) {\n    invitePartner(input: $input) {\n      ...PartnerFields\n    }\n  }\n"): (typeof documents)["\n  mutation InvitePartner($input: InvitePartnerInput!) {\n    invitePartner(input: $input) {\n      ...PartnerFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RespondToPartnerInvitation($input: RespondToPartnerInvitationInput!) {\n    respondToPartnerInvitation(input: $input) {\n      ...PartnerFields\n    }\n  }\n"): (typeof documents)["\n  mutation RespondToPartnerInvitation($input: RespondToPartnerInvitationInput!) {\n    respondToPartnerInvitation(input: $input) {\n      ...PartnerFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EndPartnership($input: EndPartnershipInput!) {\n    endPartnership(input: $input) {\n      ...PartnerFields\n    }\n  }\n"): (typeof documents)["\n  mutation EndPartnership($input: EndPartnershipInput!) {\n    endPartnership(input: $input) {\n      ...PartnerFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PractitionerHours($id: ID!) {\n    practitioner(id: $id) {\n      id\n      displayName\n      discipline\n      availability {\n        id\n        clinicId\n        weekday\n        start\n        end\n        clinic {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PractitionerHours($id: ID!) {\n    practitioner(id: $id) {\n      id\n      displayName\n      discipline\n      availability {\n        id\n        clinicId\n        weekday\n        start\n        end\n        clinic {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetPractitionerAvailability($practitionerId: ID!, $windows: [AvailabilityInput!]!) {\n    setPractitionerAvailability(practitionerId: $practitionerId, windows: $windows) {\n      id\n      availability {\n        id\n        clinicId\n        weekday\n        start\n        end\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SetPractitionerAvailability($practitionerId: ID!, $windows: [AvailabilityInput!]!) {\n    setPractitionerAvailability(practitionerId: $practitionerId, windows: $windows) {\n      id\n      availability {\n        id\n        clinicId\n        weekday\n        start\n        end\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClearPractitionerAvailability($practitionerId: ID!, $clinicId: ID!) {\n    clearPractitionerAvailability(practitionerId: $practitionerId, clinicId: $clinicId) {\n      id\n      availability {\n        id\n        clinicId\n        weekday\n        start\n        end\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ClearPractitionerAvailability($practitionerId: ID!, $clinicId: ID!) {\n    clearPractitionerAvailability(practitionerId: $practitionerId, clinicId: $clinicId) {\n      id\n      availability {\n        id\n        clinicId\n        weekday\n        start\n        end\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreatePractitioner($input: CreatePractitionerInput!) {\n    createPractitioner(input: $input) {\n      id\n      displayName\n    }\n  }\n"): (typeof documents)["\n  mutation CreatePractitioner($input: CreatePractitionerInput!) {\n    createPractitioner(input: $input) {\n      id\n      displayName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Practitioners($first: Int!, $after: String, $clinicId: ID, $discipline: Discipline) {\n    practitioners(first: $first, after: $after, clinicId: $clinicId, discipline: $discipline) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          displayName\n          discipline\n          modalities\n          email\n          availability {\n            id\n            clinicId\n            weekday\n            start\n            end\n            clinic {\n              id\n              name\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Practitioners($first: Int!, $after: String, $clinicId: ID, $discipline: Discipline) {\n    practitioners(first: $first, after: $after, clinicId: $clinicId, discipline: $discipline) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          displayName\n          discipline\n          modalities\n          email\n          availability {\n            id\n            clinicId\n            weekday\n            start\n            end\n            clinic {\n              id\n              name\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Members($first: Int!, $after: String) {\n    members(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          role\n          clinicIds\n          status\n          user {\n            id\n            email\n            displayName\n            status\n          }\n          practitioner {\n            id\n            displayName\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Members($first: Int!, $after: String) {\n    members(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          role\n          clinicIds\n          status\n          user {\n            id\n            email\n            displayName\n            status\n          }\n          practitioner {\n            id\n            displayName\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteStaff($input: InviteStaffInput!) {\n    inviteStaff(input: $input) {\n      id\n      email\n      displayName\n      role\n      practitionerId\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  mutation InviteStaff($input: InviteStaffInput!) {\n    inviteStaff(input: $input) {\n      id\n      email\n      displayName\n      role\n      practitionerId\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StaffPractitioners {\n    practitioners(first: 200) {\n      nodes {\n        id\n        displayName\n        userId\n      }\n    }\n  }\n"): (typeof documents)["\n  query StaffPractitioners {\n    practitioners(first: 200) {\n      nodes {\n        id\n        displayName\n        userId\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LinkPractitionerLogin($practitionerId: ID!, $userId: ID!) {\n    linkPractitionerLogin(practitionerId: $practitionerId, userId: $userId) {\n      id\n      userId\n    }\n  }\n"): (typeof documents)["\n  mutation LinkPractitionerLogin($practitionerId: ID!, $userId: ID!) {\n    linkPractitionerLogin(practitionerId: $practitionerId, userId: $userId) {\n      id\n      userId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnlinkPractitionerLogin($practitionerId: ID!) {\n    unlinkPractitionerLogin(practitionerId: $practitionerId) {\n      id\n      userId\n    }\n  }\n"): (typeof documents)["\n  mutation UnlinkPractitionerLogin($practitionerId: ID!) {\n    unlinkPractitionerLogin(practitionerId: $practitionerId) {\n      id\n      userId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MeFields on Me {\n    user {\n      id\n      email\n      displayName\n    }\n    organization {\n      id\n      name\n      slug\n    }\n    roles\n    clinicIds\n  }\n"): (typeof documents)["\n  fragment MeFields on Me {\n    user {\n      id\n      email\n      displayName\n    }\n    organization {\n      id\n      name\n      slug\n    }\n    roles\n    clinicIds\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SessionFields on AuthPayload {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    me {\n      ...MeFields\n    }\n  }\n"): (typeof documents)["\n  fragment SessionFields on AuthPayload {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    me {\n      ...MeFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut($refreshToken: String!) {\n    signOut(refreshToken: $refreshToken)\n  }\n"): (typeof documents)["\n  mutation SignOut($refreshToken: String!) {\n    signOut(refreshToken: $refreshToken)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClinicOptions {\n    clinics(first: 100) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          city\n          timeZone\n          openingHours {\n            weekday\n            start\n            end\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query ClinicOptions {\n    clinics(first: 100) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          city\n          timeZone\n          openingHours {\n            weekday\n            start\n            end\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;