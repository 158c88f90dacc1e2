terraform {
  # 1.9 brings cross-variable validation; the machines here run 1.11.
  required_version = ">= 1.9.0"

  required_providers {
    # The aws provider only: it is the one provider in the machines' filesystem mirror
    # (DESIGN §5), so the module initialises without a registry.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 6.0.0"
    }
  }
}
