//! The rules `diff` classifies changes by: each a stable id (as oasdiff names its checks), the
//! release it calls for and why, written once here.

use serde::Serialize;

/// The release a change calls for, ordered from the least to the most disruptive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Text people read: descriptions, docs, display names. Installed steps behave the same.
    Patch,
    /// Something new that nothing installed has to use: a method, an optional parameter, a
    /// response field.
    Minor,
    /// Installed steps or accounts may stop working, or work differently, until someone
    /// edits them.
    Major,
}

impl Class {
    /// The class as printed: `major`, `minor`, `patch`.
    pub fn name(self) -> &'static str {
        match self {
            Class::Patch => "patch",
            Class::Minor => "minor",
            Class::Major => "major",
        }
    }

    /// The release's name as a sentence starts it: `Major`, `Minor`, `Patch`.
    pub fn title(self) -> &'static str {
        match self {
            Class::Patch => "Patch",
            Class::Minor => "Minor",
            Class::Major => "Major",
        }
    }
}

macro_rules! rules {
    ($($(#[doc = $doc:literal])* $variant:ident = $id:literal, $class:ident, $why:literal;)*) => {
        /// Every kind of change `diff` reports; [`Rule::id`] is stable across releases.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Rule {
            /// Every rule, in order.
            pub const ALL: &[Rule] = &[$(Rule::$variant,)*];

            /// The stable id, e.g. `method-removed`.
            pub fn id(self) -> &'static str {
                match self {
                    $(Rule::$variant => $id,)*
                }
            }

            /// The release a change of this kind calls for.
            pub fn class(self) -> Class {
                match self {
                    $(Rule::$variant => Class::$class,)*
                }
            }

            /// What the change does to installed steps and accounts.
            pub fn why(self) -> &'static str {
                match self {
                    $(Rule::$variant => $why,)*
                }
            }
        }
    };
}

rules! {
    // --- the connector ---------------------------------------------------------------------
    /// A connector of the old catalogue is gone.
    ConnectorRemoved = "connector-removed", Major,
        "every account and step installed from this connector loses it";
    /// A connector is new.
    ConnectorAdded = "connector-added", Minor,
        "a new connector: nothing installed changes";
    /// The `id` changed.
    ConnectorIdChanged = "connector-id-changed", Major,
        "Cyclr knows the connector and its methods by ids derived from `id`: installs of the old connector are not upgraded to this one";
    /// The connector's `name` changed.
    ConnectorNameChanged = "connector-name-changed", Patch,
        "only the name people read changes";
    /// `api_version` changed.
    ApiVersionChanged = "api-version-changed", Patch,
        "the version the listing shows changes; requests stay the same";
    /// A description changed (connector, sign-in, setup value, method, parameter, field,
    /// webhook).
    DescriptionChanged = "description-changed", Patch,
        "only text people read changes";
    /// A display name (or a sign-in's name) changed.
    DisplayNameChanged = "display-name-changed", Patch,
        "only the label people read changes; steps keep their mappings";
    /// A method's or webhook's category changed.
    CategoryChanged = "category-changed", Patch,
        "the method is listed under another group; steps keep working";
    /// Anything on the docs page changed.
    DocsChanged = "docs-changed", Patch,
        "only the docs page changes";
    /// A setup value's `example` changed.
    ExampleChanged = "setup-example-changed", Patch,
        "the example is only checked by `validate`; installed accounts keep their values";
    /// Methods, parameters, fields, setup values or webhooks are listed in another order.
    OrderChanged = "order-changed", Patch,
        "Cyclr lists them in the new order; nothing installed is matched by position";
    /// A shape changed where no method or webhook sees it.
    TypeChanged = "type-changed", Patch,
        "no method or webhook sees this part of the shape (changes they see are reported at each of them); only the Rust client's types change";

    // --- signing in ------------------------------------------------------------------------
    /// A sign-in's `type` changed.
    AuthTypeChanged = "auth-type-changed", Major,
        "installed accounts signed in the old way cannot authenticate: each must be set up again";
    /// A sign-in's OAuth2 `flow` changed.
    AuthFlowChanged = "auth-flow-changed", Major,
        "installed accounts hold tokens of the old grant: each must sign in again";
    /// A sign-in's `token_url` changed.
    AuthTokenUrlChanged = "auth-token-url-changed", Major,
        "token requests and refreshes of installed accounts go to another endpoint";
    /// A sign-in's `authorize_url` changed.
    AuthAuthorizeUrlChanged = "auth-authorize-url-changed", Major,
        "accounts authorise at another endpoint; tokens already granted may not be honoured";
    /// A sign-in's `scopes` changed.
    AuthScopesChanged = "auth-scopes-changed", Major,
        "tokens of installed accounts carry the old scopes: each account must sign in again to grant the new ones";
    /// Another setting of a sign-in changed: where credentials go, which setup value holds
    /// them, token or authorise parameters.
    AuthSettingChanged = "auth-setting-changed", Major,
        "installed accounts' credentials are sent differently: their requests may be refused until they sign in again";
    /// A sign-in is gone.
    SignInRemoved = "sign-in-removed", Major,
        "accounts that signed in this way can no longer authenticate";
    /// A sign-in is new.
    SignInAdded = "sign-in-added", Minor,
        "a new way to sign in; installed accounts keep theirs";

    // --- setup values ----------------------------------------------------------------------
    /// A setup value is gone.
    SetupValueRemoved = "setup-value-removed", Major,
        "installed accounts lose the value they entered, and whatever used it changes";
    /// A required setup value without a default is new.
    SetupValueAddedWithoutDefault = "setup-value-added-without-default", Major,
        "installed accounts have no value for it: each must be edited before its steps run again";
    /// An optional setup value, or one with a default, is new.
    SetupValueAddedWithDefault = "setup-value-added-with-default", Minor,
        "installed accounts get the default (or nothing, as the value is optional) and keep working";
    /// A setup value became required (with no default).
    SetupValueMadeRequired = "setup-value-made-required", Major,
        "installed accounts that left it blank must be edited before their steps run again";
    /// A setup value became optional.
    SetupValueMadeOptional = "setup-value-made-optional", Minor,
        "installed accounts keep their values; new ones may leave it blank";
    /// A setup value's `type` changed.
    SetupValueTypeChanged = "setup-value-type-changed", Major,
        "values installed accounts entered may not be of the new type";
    /// A setup value's `pattern` changed.
    SetupValuePatternChanged = "setup-value-pattern-changed", Major,
        "values installed accounts entered may not match the new pattern";
    /// A setup value no longer allows a value it allowed.
    SetupAllowedValueRemoved = "setup-allowed-value-removed", Major,
        "installed accounts that picked that value hold one the connector no longer offers";
    /// A setup value allows a value more.
    SetupAllowedValueAdded = "setup-allowed-value-added", Minor,
        "accounts may pick one more value; installed ones keep theirs";
    /// Who enters a setup value (`set_by`) changed.
    SetupValueLevelChanged = "setup-value-level-changed", Major,
        "the value moves between the partner's connector library and each account: one of them lacks it until it is entered again";
    /// Whether a setup value is `secret` changed.
    SetupValueSecretChanged = "setup-value-secret-changed", Major,
        "Cyclr stores and shows the value differently (`IsSensitive`), and the Rust client's config changes type";
    /// A setup value's `default` changed.
    SetupValueDefaultChanged = "setup-value-default-changed", Minor,
        "accounts that left the value blank now use the new default";

    // --- requests --------------------------------------------------------------------------
    /// `base_url` changed.
    BaseUrlChanged = "base-url-changed", Major,
        "every request of every installed step goes to another address";
    /// A header (of the connector or of one method) is new.
    HeaderAdded = "header-added", Minor,
        "requests carry one more header; steps need no change";
    /// A header is gone.
    HeaderRemoved = "header-removed", Major,
        "requests no longer carry the header; an API that needs it refuses them";
    /// A header's value changed.
    HeaderChanged = "header-changed", Major,
        "requests carry another value in the header; an API that checks it may refuse them";
    /// A rate limit changed.
    RateLimitChanged = "rate-limit-changed", Minor,
        "requests are spaced differently; steps need no change";
    /// `connection_check` changed.
    ConnectionCheckChanged = "connection-check-changed", Minor,
        "Cyclr proves new credentials with another call; installed accounts keep working";

    // --- methods ---------------------------------------------------------------------------
    /// A method is gone.
    MethodRemoved = "method-removed", Major,
        "installed steps that call this method stop working";
    /// A method's name changed (same verb and path).
    MethodRenamed = "method-renamed", Major,
        "Cyclr identifies a method by an id derived from its name: installed steps of the old name stop working";
    /// A method is new.
    MethodAdded = "method-added", Minor,
        "a new method: nothing installed changes";
    /// A method's `http_method` changed.
    MethodHttpMethodChanged = "method-http-method-changed", Major,
        "installed steps send another kind of request to the API";
    /// A method's `path` changed.
    MethodPathChanged = "method-path-changed", Major,
        "installed steps call another endpoint";
    /// A method's paging changed.
    PagingChanged = "paging-changed", Major,
        "installed list steps ask for pages differently and may get other items, or stop early";
    /// A method's `since` changed.
    SinceChanged = "since-changed", Major,
        "installed \"new\" or \"updated\" steps select records differently";
    /// A method's `batch` changed.
    BatchChanged = "batch-changed", Major,
        "installed bulk steps split the items they send differently";
    /// A response's `items` changed.
    ResponseItemsChanged = "response-items-changed", Major,
        "the items of a list are read from another place: every item field of installed steps moves";

    // --- parameters ------------------------------------------------------------------------
    /// A parameter is gone.
    ParameterRemoved = "parameter-removed", Major,
        "installed steps lose the value they set for it";
    /// A required parameter is new.
    ParameterRequiredAdded = "parameter-required-added", Major,
        "installed steps have no value for it: each must be edited before it runs again";
    /// An optional parameter is new.
    ParameterOptionalAdded = "parameter-optional-added", Minor,
        "installed steps may leave it out, and keep working";
    /// A parameter became required.
    ParameterMadeRequired = "parameter-made-required", Major,
        "installed steps that leave it out fail until they are edited";
    /// A parameter became optional.
    ParameterMadeOptional = "parameter-made-optional", Minor,
        "installed steps keep working; new ones may leave it out";
    /// A parameter moved between the path and the query.
    ParameterLocationChanged = "parameter-location-changed", Major,
        "installed steps send the value in another place of the request";
    /// A parameter's `pattern` changed.
    ParameterPatternChanged = "parameter-pattern-changed", Major,
        "values installed steps send may not match the new pattern";
    /// A parameter's or request field's lookup changed.
    LookupChanged = "lookup-changed", Minor,
        "users pick the value from another list; values installed steps hold stay as they are";

    // --- request fields --------------------------------------------------------------------
    /// A request field is gone.
    RequestFieldRemoved = "request-field-removed", Major,
        "installed steps lose what they mapped to the field";
    /// A required request field is new.
    RequestFieldRequiredAdded = "request-field-required-added", Major,
        "installed steps map nothing to it: requests fail until each step is edited";
    /// An optional request field is new.
    RequestFieldOptionalAdded = "request-field-optional-added", Minor,
        "installed steps may leave it out, and keep working";
    /// A request field became required.
    RequestFieldMadeRequired = "request-field-made-required", Major,
        "installed steps that map nothing to it fail until they are edited";
    /// A request field became optional.
    RequestFieldMadeOptional = "request-field-made-optional", Minor,
        "installed steps keep working; new ones may leave it out";
    /// A request field's type takes fewer values.
    RequestFieldTypeNarrowed = "request-field-type-narrowed", Major,
        "values installed steps map to the field may not be of the new type";
    /// A request field's type takes more values.
    RequestFieldTypeWidened = "request-field-type-widened", Minor,
        "every value installed steps send is still of the type";
    /// A request field or parameter no longer allows a value.
    AllowedValueRemoved = "allowed-value-removed", Major,
        "installed steps that send that value are refused";
    /// A request field or parameter allows a value more.
    AllowedValueAdded = "allowed-value-added", Minor,
        "steps may send one more value; installed ones keep theirs";
    /// A request field's `default` changed.
    FieldDefaultChanged = "field-default-changed", Minor,
        "installed steps that map nothing to the field now send the new default";

    // --- response fields -------------------------------------------------------------------
    /// A response field is gone.
    ResponseFieldRemoved = "response-field-removed", Major,
        "installed steps that read the field get nothing";
    /// A response field is new.
    ResponseFieldAdded = "response-field-added", Minor,
        "steps may read one more field; installed ones keep working";
    /// A response field became optional.
    ResponseFieldMadeOptional = "response-field-made-optional", Major,
        "installed steps that read the field may get nothing";
    /// A response field became required.
    ResponseFieldMadeRequired = "response-field-made-required", Minor,
        "the field is always there now; installed steps keep working";
    /// A response field's type takes more values.
    ResponseFieldTypeWidened = "response-field-type-widened", Major,
        "installed steps that read the field may get values of a type they do not expect";
    /// A response field's type takes fewer values.
    ResponseFieldTypeNarrowed = "response-field-type-narrowed", Minor,
        "every value installed steps read is still of the type they expect";
    /// A response field may hold a value it could not before.
    ResponseAllowedValueAdded = "response-allowed-value-added", Major,
        "installed steps that branch on the field's value may meet one they do not handle";
    /// A response field no longer holds a value it could.
    ResponseAllowedValueRemoved = "response-allowed-value-removed", Minor,
        "installed steps only meet values they already handle";

    // --- any field -------------------------------------------------------------------------
    /// A field's type changed in a way that neither narrows nor widens it.
    FieldTypeChanged = "field-type-changed", Major,
        "values of the old type do not fit the new one";
    /// A date field's `format` changed.
    FieldFormatChanged = "field-format-changed", Major,
        "dates are written or read in another format";
    /// A field's Cyclr `SystemField` changed.
    FieldSystemFieldChanged = "field-system-field-changed", Major,
        "Cyclr maps steps by system field: installed mappings to the old one are lost";

    // --- webhooks --------------------------------------------------------------------------
    /// A webhook is gone.
    WebhookRemoved = "webhook-removed", Major,
        "installed steps triggered by the webhook are no longer called";
    /// A webhook is new.
    WebhookAdded = "webhook-added", Minor,
        "a new webhook: nothing installed changes";
    /// A webhook's subscribe or unsubscribe call changed.
    WebhookSubscriptionChanged = "webhook-subscription-changed", Major,
        "installing or removing the webhook calls the API differently; subscriptions made the old way may not be removed";

    // --- anything else ---------------------------------------------------------------------
    /// A change no specific rule covers.
    OtherChange = "other-change", Major,
        "no rule classifies this change, so it is treated as breaking to be safe";
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        assert!(
            ids.iter()
                .all(|id| id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
        );
        ids.sort_unstable();
        let count = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), count);
    }
}
