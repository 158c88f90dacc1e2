# Identity: the Cognito user pool every API call signs in with (ADR 0021). One tenant per
# user in the immutable attribute custom:tenant, the role from the groups below; the HTTP
# API's JWT authorizer (api.tf) accepts the pool's tokens for the web app's client only.

locals {
  # A user's role is the strongest of their groups (services/api/identity.py reads them).
  user_groups = {
    clerks    = { precedence = 30, description = "Upload, start and read the tenant's jobs, results and audit." }
    reviewers = { precedence = 20, description = "Clerks' rights, plus the tenant's review queue and decisions." }
    admins    = { precedence = 10, description = "Reviewers' rights, plus the tenant's users and settings." }
  }
}

resource "aws_cognito_user_pool" "users" {
  name = "${var.name_prefix}-users"

  # People sign in with their e-mail address; only an admin creates users.
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  deletion_protection      = var.deletion_protection ? "ACTIVE" : "INACTIVE"

  admin_create_user_config {
    allow_admin_create_user_only = true
  }

  password_policy {
    minimum_length                   = 12
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = true
    temporary_password_validity_days = 3
  }

  mfa_configuration = var.user_pool_mfa

  dynamic "software_token_mfa_configuration" {
    for_each = var.user_pool_mfa == "OFF" ? [] : [true]
    content {
      enabled = true
    }
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  # The tenant is set when an admin creates the user and can never change: moving a
  # person to another company is a new user, so no token can ever carry a changed tenant.
  schema {
    name                     = "tenant"
    attribute_data_type      = "String"
    mutable                  = false
    developer_only_attribute = false
    required                 = false

    string_attribute_constraints {
      min_length = 1
      max_length = 64
    }
  }
}

resource "aws_cognito_user_group" "role" {
  for_each = local.user_groups

  user_pool_id = aws_cognito_user_pool.users.id
  name         = each.key
  description  = each.value.description
  precedence   = each.value.precedence
}

resource "aws_cognito_user_pool_client" "web" {
  name         = "${var.name_prefix}-web"
  user_pool_id = aws_cognito_user_pool.users.id

  # A browser app keeps no secret: SRP for the app's own sign-in form, the authorization
  # code flow with PKCE for the hosted UI, and USER_PASSWORD_AUTH for `docuflow token`
  # (over TLS; the password never reaches the API).
  generate_secret = false
  explicit_auth_flows = [
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
  ]
  prevent_user_existence_errors = "ENABLED"
  enable_token_revocation       = true

  allowed_oauth_flows_user_pool_client = length(var.web_origins) > 0
  allowed_oauth_flows                  = length(var.web_origins) > 0 ? ["code"] : []
  allowed_oauth_scopes                 = length(var.web_origins) > 0 ? ["openid", "email", "profile"] : []
  callback_urls                        = var.web_origins
  logout_urls                          = var.web_origins
  supported_identity_providers         = ["COGNITO"]

  # The tenant is readable, never writable by the user (an empty list would allow all).
  read_attributes  = ["email", "email_verified", "custom:tenant"]
  write_attributes = ["email"]

  id_token_validity      = 60
  access_token_validity  = 60
  refresh_token_validity = 12
  token_validity_units {
    id_token      = "minutes"
    access_token  = "minutes"
    refresh_token = "hours"
  }
}

resource "aws_cognito_user_pool_domain" "hosted_ui" {
  count = var.user_pool_domain_prefix == "" ? 0 : 1

  domain       = var.user_pool_domain_prefix
  user_pool_id = aws_cognito_user_pool.users.id
}
