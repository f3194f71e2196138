""" Contains all the data models used in inputs/outputs """

from .action import Action
from .amount_table import AmountTable
from .amount_table_amounts_fen import AmountTableAmountsFen
from .amount_table_per import AmountTablePer
from .amount_table_shares_permille import AmountTableSharesPermille
from .application_page import ApplicationPage
from .application_status import ApplicationStatus
from .application_summary import ApplicationSummary
from .application_summary_status import ApplicationSummaryStatus
from .application_view import ApplicationView
from .application_view_status import ApplicationViewStatus
from .apply_request import ApplyRequest
from .asyncapi_document_events_asyncapi_json_get_response_asyncapi_document_events_asyncapi_json_get import AsyncapiDocumentEventsAsyncapiJsonGetResponseAsyncapiDocumentEventsAsyncapiJsonGet
from .band import Band
from .bank_account import BankAccount
from .beneficiary import Beneficiary
from .clawback_view import ClawbackView
from .commitment import Commitment
from .commitment_in import CommitmentIn
from .commitment_outcome import CommitmentOutcome
from .commitment_terms import CommitmentTerms
from .dead_letter_detail import DeadLetterDetail
from .dead_letter_detail_payload import DeadLetterDetailPayload
from .dead_letter_out import DeadLetterOut
from .decision import Decision
from .decision_outcome import DecisionOutcome
from .education import Education
from .education_degree import EducationDegree
from .employee_facts import EmployeeFacts
from .employee_facts_sources import EmployeeFactsSources
from .employee_held import EmployeeHeld
from .employee_held_sources import EmployeeHeldSources
from .enterprise_lease import EnterpriseLease
from .enterprise_profile import EnterpriseProfile
from .enterprise_profile_status import EnterpriseProfileStatus
from .enterprise_tax import EnterpriseTax
from .enterprise_tax_credit_rating import EnterpriseTaxCreditRating
from .enterprise_unemployment_insurance import EnterpriseUnemploymentInsurance
from .enterprise_unemployment_insurance_size_class import EnterpriseUnemploymentInsuranceSizeClass
from .event_schema_events_schemas_subject_json_get_response_event_schema_events_schemas_subject_json_get import EventSchemaEventsSchemasSubjectJsonGetResponseEventSchemaEventsSchemasSubjectJsonGet
from .fact_source import FactSource
from .grant_out import GrantOut
from .healthz_healthz_get_response_healthz_healthz_get import HealthzHealthzGetResponseHealthzHealthzGet
from .holdings import Holdings
from .http_validation_error import HTTPValidationError
from .item_decision import ItemDecision
from .item_decision_outcome import ItemDecisionOutcome
from .jwks_well_known_jwks_json_get_response_jwks_well_known_jwks_json_get import JwksWellKnownJwksJsonGetResponseJwksWellKnownJwksJsonGet
from .links import Links
from .metadata_well_known_oauth_authorization_server_get_response_metadata_well_known_oauth_authorization_server_get import MetadataWellKnownOauthAuthorizationServerGetResponseMetadataWellKnownOauthAuthorizationServerGet
from .notice import Notice
from .notice_status import NoticeStatus
from .payout_view import PayoutView
from .person_lookup import PersonLookup
from .policy import Policy
from .policy_rules import PolicyRules
from .policy_rules_claims_after_clawback import PolicyRulesClaimsAfterClawback
from .proactive_run import ProactiveRun
from .proactive_run_applications import ProactiveRunApplications
from .proactive_run_notices import ProactiveRunNotices
from .problem import Problem
from .rating import Rating
from .replay import Replay
from .replay_payload_type_0 import ReplayPayloadType0
from .reply import Reply
from .request_in import RequestIn
from .request_status import RequestStatus
from .request_summary import RequestSummary
from .request_summary_outcome_type_0 import RequestSummaryOutcomeType0
from .request_view import RequestView
from .request_view_application_type_0 import RequestViewApplicationType0
from .request_view_outcome_type_0 import RequestViewOutcomeType0
from .revoke_oauth_revoke_post_response_400 import RevokeOauthRevokePostResponse400
from .revoke_oauth_revoke_post_response_401 import RevokeOauthRevokePostResponse401
from .rule import Rule
from .rule_op import RuleOp
from .run_state import RunState
from .simulate_request import SimulateRequest
from .simulation import Simulation
from .step import Step
from .step_outcome_type_0 import StepOutcomeType0
from .token_oauth_token_post_response_400 import TokenOauthTokenPostResponse400
from .token_oauth_token_post_response_401 import TokenOauthTokenPostResponse401
from .trace_entry import TraceEntry
from .validation_error import ValidationError
from .validation_error_context import ValidationErrorContext
from .value_bands import ValueBands
from .webhook_created import WebhookCreated
from .webhook_in import WebhookIn
from .webhook_out import WebhookOut

__all__ = (
    "Action",
    "AmountTable",
    "AmountTableAmountsFen",
    "AmountTablePer",
    "AmountTableSharesPermille",
    "ApplicationPage",
    "ApplicationStatus",
    "ApplicationSummary",
    "ApplicationSummaryStatus",
    "ApplicationView",
    "ApplicationViewStatus",
    "ApplyRequest",
    "AsyncapiDocumentEventsAsyncapiJsonGetResponseAsyncapiDocumentEventsAsyncapiJsonGet",
    "Band",
    "BankAccount",
    "Beneficiary",
    "ClawbackView",
    "Commitment",
    "CommitmentIn",
    "CommitmentOutcome",
    "CommitmentTerms",
    "DeadLetterDetail",
    "DeadLetterDetailPayload",
    "DeadLetterOut",
    "Decision",
    "DecisionOutcome",
    "Education",
    "EducationDegree",
    "EmployeeFacts",
    "EmployeeFactsSources",
    "EmployeeHeld",
    "EmployeeHeldSources",
    "EnterpriseLease",
    "EnterpriseProfile",
    "EnterpriseProfileStatus",
    "EnterpriseTax",
    "EnterpriseTaxCreditRating",
    "EnterpriseUnemploymentInsurance",
    "EnterpriseUnemploymentInsuranceSizeClass",
    "EventSchemaEventsSchemasSubjectJsonGetResponseEventSchemaEventsSchemasSubjectJsonGet",
    "FactSource",
    "GrantOut",
    "HealthzHealthzGetResponseHealthzHealthzGet",
    "Holdings",
    "HTTPValidationError",
    "ItemDecision",
    "ItemDecisionOutcome",
    "JwksWellKnownJwksJsonGetResponseJwksWellKnownJwksJsonGet",
    "Links",
    "MetadataWellKnownOauthAuthorizationServerGetResponseMetadataWellKnownOauthAuthorizationServerGet",
    "Notice",
    "NoticeStatus",
    "PayoutView",
    "PersonLookup",
    "Policy",
    "PolicyRules",
    "PolicyRulesClaimsAfterClawback",
    "ProactiveRun",
    "ProactiveRunApplications",
    "ProactiveRunNotices",
    "Problem",
    "Rating",
    "Replay",
    "ReplayPayloadType0",
    "Reply",
    "RequestIn",
    "RequestStatus",
    "RequestSummary",
    "RequestSummaryOutcomeType0",
    "RequestView",
    "RequestViewApplicationType0",
    "RequestViewOutcomeType0",
    "RevokeOauthRevokePostResponse400",
    "RevokeOauthRevokePostResponse401",
    "Rule",
    "RuleOp",
    "RunState",
    "SimulateRequest",
    "Simulation",
    "Step",
    "StepOutcomeType0",
    "TokenOauthTokenPostResponse400",
    "TokenOauthTokenPostResponse401",
    "TraceEntry",
    "ValidationError",
    "ValidationErrorContext",
    "ValueBands",
    "WebhookCreated",
    "WebhookIn",
    "WebhookOut",
)
