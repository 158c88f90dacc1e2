"""Where each EN 16931 business term (BT-n) sits in each syntax: the one table of XPaths.

Every path is relative to its context (the root, a line, a tax breakdown, an allowance
or charge) and is tried in order; the first non-empty value wins. CII paths are written
once for UN/CEFACT CII D16B and ZUGFeRD 1.0 together: the placeholders name the elements
whose names differ between the two (`{agreement}` is ApplicableHeaderTradeAgreement in
D16B and ApplicableSupplyChainTradeAgreement in ZUGFeRD 1.0).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from docuflow.einvoice.syntax import Syntax

Paths = dict[str, tuple[str, ...]]

_CII_NAMES: Final[dict[str, str]] = {
    "context": "rsm:ExchangedDocumentContext",
    "document": "rsm:ExchangedDocument",
    "transaction": "rsm:SupplyChainTradeTransaction",
    "agreement": "ram:ApplicableHeaderTradeAgreement",
    "delivery": "ram:ApplicableHeaderTradeDelivery",
    "settlement": "ram:ApplicableHeaderTradeSettlement",
    "summation": "ram:SpecifiedTradeSettlementHeaderMonetarySummation",
    "rate": "ram:RateApplicablePercent",
    "reference": "ram:IssuerAssignedID",
    "line_agreement": "ram:SpecifiedLineTradeAgreement",
    "line_delivery": "ram:SpecifiedLineTradeDelivery",
    "line_settlement": "ram:SpecifiedLineTradeSettlement",
    "line_summation": "ram:SpecifiedTradeSettlementLineMonetarySummation",
}
_ZUGFERD_1_NAMES: Final[dict[str, str]] = {
    "context": "rsm:SpecifiedExchangedDocumentContext",
    "document": "rsm:HeaderExchangedDocument",
    "transaction": "rsm:SpecifiedSupplyChainTradeTransaction",
    "agreement": "ram:ApplicableSupplyChainTradeAgreement",
    "delivery": "ram:ApplicableSupplyChainTradeDelivery",
    "settlement": "ram:ApplicableSupplyChainTradeSettlement",
    "summation": "ram:SpecifiedTradeSettlementMonetarySummation",
    "rate": "ram:ApplicablePercentage",
    "reference": "ram:ID",
    "line_agreement": "ram:SpecifiedSupplyChainTradeAgreement",
    "line_delivery": "ram:SpecifiedSupplyChainTradeDelivery",
    "line_settlement": "ram:SpecifiedSupplyChainTradeSettlement",
    "line_summation": "ram:SpecifiedTradeSettlementMonetarySummation",
}

# --- UBL 2.1 (Invoice and CreditNote) -------------------------------------------------

_SELLER = "cac:AccountingSupplierParty/cac:Party/"
_BUYER = "cac:AccountingCustomerParty/cac:Party/"
_TOTALS = "cac:LegalMonetaryTotal/"
_MEANS = "cac:PaymentMeans/"

_UBL_ADDRESS: Final[tuple[tuple[str, str, str], ...]] = (
    # (seller term, buyer term, path under cac:PostalAddress)
    ("BT-35", "BT-50", "cbc:StreetName"),
    ("BT-36", "BT-51", "cbc:AdditionalStreetName"),
    ("BT-162", "BT-163", "cac:AddressLine/cbc:Line"),
    ("BT-38", "BT-53", "cbc:PostalZone"),
    ("BT-37", "BT-52", "cbc:CityName"),
    ("BT-39", "BT-54", "cbc:CountrySubentity"),
    ("BT-40", "BT-55", "cac:Country/cbc:IdentificationCode"),
)

UBL_HEADER: Final[Paths] = {
    "BT-1": ("cbc:ID",),
    "BT-2": ("cbc:IssueDate",),
    "BT-3": ("cbc:InvoiceTypeCode", "cbc:CreditNoteTypeCode"),
    "BT-5": ("cbc:DocumentCurrencyCode",),
    "BT-6": ("cbc:TaxCurrencyCode",),
    "BT-9": ("cbc:DueDate", f"{_MEANS}cbc:PaymentDueDate"),
    "BT-10": ("cbc:BuyerReference",),
    "BT-11": ("cac:ProjectReference/cbc:ID",),
    "BT-12": ("cac:ContractDocumentReference/cbc:ID",),
    "BT-13": ("cac:OrderReference/cbc:ID",),
    "BT-14": ("cac:OrderReference/cbc:SalesOrderID",),
    "BT-20": ("cac:PaymentTerms/cbc:Note",),
    "BT-23": ("cbc:ProfileID",),
    "BT-24": ("cbc:CustomizationID",),
    "BT-25": ("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID",),
    "BT-27": (f"{_SELLER}cac:PartyLegalEntity/cbc:RegistrationName",),
    "BT-28": (f"{_SELLER}cac:PartyName/cbc:Name",),
    "BT-29": (f"{_SELLER}cac:PartyIdentification/cbc:ID",),
    "BT-30": (f"{_SELLER}cac:PartyLegalEntity/cbc:CompanyID",),
    "BT-31": (f"{_SELLER}cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID",),
    "BT-32": (f"{_SELLER}cac:PartyTaxScheme[not(cac:TaxScheme/cbc:ID='VAT')]/cbc:CompanyID",),
    "BT-34": (f"{_SELLER}cbc:EndpointID",),
    "BT-41": (f"{_SELLER}cac:Contact/cbc:Name",),
    "BT-42": (f"{_SELLER}cac:Contact/cbc:Telephone",),
    "BT-43": (f"{_SELLER}cac:Contact/cbc:ElectronicMail",),
    "BT-44": (f"{_BUYER}cac:PartyLegalEntity/cbc:RegistrationName",),
    "BT-45": (f"{_BUYER}cac:PartyName/cbc:Name",),
    "BT-46": (f"{_BUYER}cac:PartyIdentification/cbc:ID",),
    "BT-48": (f"{_BUYER}cac:PartyTaxScheme/cbc:CompanyID",),
    "BT-49": (f"{_BUYER}cbc:EndpointID",),
    "BT-59": ("cac:PayeeParty/cac:PartyName/cbc:Name",),
    "BT-70": ("cac:Delivery/cac:DeliveryParty/cac:PartyName/cbc:Name",),
    "BT-72": ("cac:Delivery/cbc:ActualDeliveryDate",),
    "BT-73": ("cac:InvoicePeriod/cbc:StartDate",),
    "BT-74": ("cac:InvoicePeriod/cbc:EndDate",),
    "BT-81": (f"{_MEANS}cbc:PaymentMeansCode",),
    "BT-83": (f"{_MEANS}cbc:PaymentID",),
    "BT-84": (f"{_MEANS}cac:PayeeFinancialAccount/cbc:ID",),
    "BT-85": (f"{_MEANS}cac:PayeeFinancialAccount/cbc:Name",),
    "BT-86": (f"{_MEANS}cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID",),
    "BT-63": ("cac:TaxRepresentativeParty/cac:PartyTaxScheme/cbc:CompanyID",),
    "BT-87": (f"{_MEANS}cac:CardAccount/cbc:PrimaryAccountNumberID",),
    "BT-89": (f"{_MEANS}cac:PaymentMandate/cbc:ID",),
    "BT-90": (
        f"{_SELLER}cac:PartyIdentification/cbc:ID[@schemeID='SEPA']",
        "cac:PayeeParty/cac:PartyIdentification/cbc:ID[@schemeID='SEPA']",
    ),
    "BT-91": (f"{_MEANS}cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID",),
    "BT-106": (f"{_TOTALS}cbc:LineExtensionAmount",),
    "BT-107": (f"{_TOTALS}cbc:AllowanceTotalAmount",),
    "BT-108": (f"{_TOTALS}cbc:ChargeTotalAmount",),
    "BT-109": (f"{_TOTALS}cbc:TaxExclusiveAmount",),
    # BT-110 and BT-111 are both cac:TaxTotal/cbc:TaxAmount, told apart by currency.
    "BT-110": ("cac:TaxTotal/cbc:TaxAmount",),
    "BT-112": (f"{_TOTALS}cbc:TaxInclusiveAmount",),
    "BT-113": (f"{_TOTALS}cbc:PrepaidAmount",),
    "BT-114": (f"{_TOTALS}cbc:PayableRoundingAmount",),
    "BT-115": (f"{_TOTALS}cbc:PayableAmount",),
}
for _seller_term, _buyer_term, _part in _UBL_ADDRESS:
    UBL_HEADER[_seller_term] = (f"{_SELLER}cac:PostalAddress/{_part}",)
    UBL_HEADER[_buyer_term] = (f"{_BUYER}cac:PostalAddress/{_part}",)

UBL_LINES: Final = ("cac:InvoiceLine", "cac:CreditNoteLine")
UBL_LINE: Final[Paths] = {
    "BT-126": ("cbc:ID",),
    "BT-127": ("cbc:Note",),
    "BT-129": ("cbc:InvoicedQuantity", "cbc:CreditedQuantity"),
    "BT-130": ("cbc:InvoicedQuantity/@unitCode", "cbc:CreditedQuantity/@unitCode"),
    "BT-131": ("cbc:LineExtensionAmount",),
    "BT-132": ("cac:OrderLineReference/cbc:LineID",),
    "BT-146": ("cac:Price/cbc:PriceAmount",),
    "BT-149": ("cac:Price/cbc:BaseQuantity",),
    "BT-151": ("cac:Item/cac:ClassifiedTaxCategory/cbc:ID",),
    "BT-152": ("cac:Item/cac:ClassifiedTaxCategory/cbc:Percent",),
    "BT-153": ("cac:Item/cbc:Name",),
    "BT-154": ("cac:Item/cbc:Description",),
    "BT-155": ("cac:Item/cac:SellersItemIdentification/cbc:ID",),
}
UBL_BREAKDOWN: Final = "cac:TaxTotal/cac:TaxSubtotal"
UBL_BREAKDOWN_TERMS: Final[Paths] = {
    "BT-116": ("cbc:TaxableAmount",),
    "BT-117": ("cbc:TaxAmount",),
    "BT-118": ("cac:TaxCategory/cbc:ID",),
    "BT-119": ("cac:TaxCategory/cbc:Percent",),
    "BT-120": ("cac:TaxCategory/cbc:TaxExemptionReason",),
    "BT-121": ("cac:TaxCategory/cbc:TaxExemptionReasonCode",),
}
UBL_ALLOWANCES: Final = ("cac:AllowanceCharge",)
UBL_CHARGE_INDICATOR: Final = "cbc:ChargeIndicator"
UBL_ALLOWANCE_TERMS: Final[Paths] = {
    # Keyed by the allowance's term; a charge's term is found by CHARGE_TERMS.
    "BT-92": ("cbc:Amount",),
    "BT-93": ("cbc:BaseAmount",),
    "BT-94": ("cbc:MultiplierFactorNumeric",),
    "BT-95": ("cac:TaxCategory/cbc:ID",),
    "BT-96": ("cac:TaxCategory/cbc:Percent",),
    "BT-97": ("cbc:AllowanceChargeReason",),
    "BT-98": ("cbc:AllowanceChargeReasonCode",),
}

# --- UN/CEFACT CII D16B and ZUGFeRD 1.0 ----------------------------------------------

_C_SELLER = "{transaction}/{agreement}/ram:SellerTradeParty/"
_C_BUYER = "{transaction}/{agreement}/ram:BuyerTradeParty/"
_C_SETTLE = "{transaction}/{settlement}/"
_C_MEANS = _C_SETTLE + "ram:SpecifiedTradeSettlementPaymentMeans/"
_C_TERMS = _C_SETTLE + "ram:SpecifiedTradePaymentTerms/"
_C_SUM = _C_SETTLE + "{summation}/"

_CII_ADDRESS: Final[tuple[tuple[str, str, str], ...]] = (
    ("BT-35", "BT-50", "ram:LineOne"),
    ("BT-36", "BT-51", "ram:LineTwo"),
    ("BT-162", "BT-163", "ram:LineThree"),
    ("BT-38", "BT-53", "ram:PostcodeCode"),
    ("BT-37", "BT-52", "ram:CityName"),
    ("BT-39", "BT-54", "ram:CountrySubDivisionName"),
    ("BT-40", "BT-55", "ram:CountryID"),
)

_CII_HEADER: Final[Paths] = {
    "BT-1": ("{document}/ram:ID",),
    "BT-2": ("{document}/ram:IssueDateTime/udt:DateTimeString",),
    "BT-3": ("{document}/ram:TypeCode",),
    "BT-5": (_C_SETTLE + "ram:InvoiceCurrencyCode",),
    "BT-6": (_C_SETTLE + "ram:TaxCurrencyCode",),
    "BT-9": (_C_TERMS + "ram:DueDateDateTime/udt:DateTimeString",),
    "BT-10": ("{transaction}/{agreement}/ram:BuyerReference",),
    "BT-11": ("{transaction}/{agreement}/ram:SpecifiedProcuringProject/ram:ID",),
    "BT-12": ("{transaction}/{agreement}/ram:ContractReferencedDocument/{reference}",),
    "BT-13": ("{transaction}/{agreement}/ram:BuyerOrderReferencedDocument/{reference}",),
    "BT-14": ("{transaction}/{agreement}/ram:SellerOrderReferencedDocument/{reference}",),
    "BT-20": (_C_TERMS + "ram:Description",),
    "BT-23": ("{context}/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID",),
    "BT-24": ("{context}/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",),
    "BT-25": (_C_SETTLE + "ram:InvoiceReferencedDocument/ram:IssuerAssignedID",),
    "BT-27": (_C_SELLER + "ram:Name",),
    "BT-28": (_C_SELLER + "ram:SpecifiedLegalOrganization/ram:TradingBusinessName",),
    "BT-29": (_C_SELLER + "ram:ID", _C_SELLER + "ram:GlobalID"),
    "BT-30": (_C_SELLER + "ram:SpecifiedLegalOrganization/ram:ID",),
    "BT-31": (_C_SELLER + "ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']",),
    "BT-32": (_C_SELLER + "ram:SpecifiedTaxRegistration/ram:ID[@schemeID='FC']",),
    "BT-34": (_C_SELLER + "ram:URIUniversalCommunication/ram:URIID",),
    "BT-41": (
        _C_SELLER + "ram:DefinedTradeContact/ram:PersonName",
        _C_SELLER + "ram:DefinedTradeContact/ram:DepartmentName",
    ),
    "BT-42": (
        _C_SELLER
        + "ram:DefinedTradeContact/ram:TelephoneUniversalCommunication/ram:CompleteNumber",
    ),
    "BT-43": (_C_SELLER + "ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:URIID",),
    "BT-44": (_C_BUYER + "ram:Name",),
    "BT-45": (_C_BUYER + "ram:SpecifiedLegalOrganization/ram:TradingBusinessName",),
    "BT-46": (_C_BUYER + "ram:ID", _C_BUYER + "ram:GlobalID"),
    "BT-48": (_C_BUYER + "ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']",),
    "BT-49": (_C_BUYER + "ram:URIUniversalCommunication/ram:URIID",),
    "BT-59": (_C_SETTLE + "ram:PayeeTradeParty/ram:Name",),
    "BT-70": ("{transaction}/{delivery}/ram:ShipToTradeParty/ram:Name",),
    "BT-72": (
        "{transaction}/{delivery}/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime"
        "/udt:DateTimeString",
    ),
    "BT-73": (_C_SETTLE + "ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString",),
    "BT-74": (_C_SETTLE + "ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString",),
    "BT-81": (_C_MEANS + "ram:TypeCode",),
    "BT-83": (_C_SETTLE + "ram:PaymentReference",),
    "BT-84": (
        _C_MEANS + "ram:PayeePartyCreditorFinancialAccount/ram:IBANID",
        _C_MEANS + "ram:PayeePartyCreditorFinancialAccount/ram:ProprietaryID",
    ),
    "BT-85": (_C_MEANS + "ram:PayeePartyCreditorFinancialAccount/ram:AccountName",),
    "BT-86": (_C_MEANS + "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID",),
    "BT-63": (
        "{transaction}/{agreement}/ram:SellerTaxRepresentativeTradeParty"
        "/ram:SpecifiedTaxRegistration/ram:ID",
    ),
    "BT-87": (_C_MEANS + "ram:ApplicableTradeSettlementFinancialCard/ram:ID",),
    "BT-89": (_C_TERMS + "ram:DirectDebitMandateID",),
    "BT-90": (_C_SETTLE + "ram:CreditorReferenceID",),
    "BT-91": (_C_MEANS + "ram:PayerPartyDebtorFinancialAccount/ram:IBANID",),
    "BT-106": (_C_SUM + "ram:LineTotalAmount",),
    "BT-107": (_C_SUM + "ram:AllowanceTotalAmount",),
    "BT-108": (_C_SUM + "ram:ChargeTotalAmount",),
    "BT-109": (_C_SUM + "ram:TaxBasisTotalAmount",),
    # BT-110 and BT-111 are both TaxTotalAmount, told apart by currency.
    "BT-110": (_C_SUM + "ram:TaxTotalAmount",),
    "BT-112": (_C_SUM + "ram:GrandTotalAmount",),
    "BT-113": (_C_SUM + "ram:TotalPrepaidAmount",),
    "BT-114": (_C_SUM + "ram:RoundingAmount",),
    "BT-115": (_C_SUM + "ram:DuePayableAmount",),
}
for _seller_term, _buyer_term, _part in _CII_ADDRESS:
    _CII_HEADER[_seller_term] = (_C_SELLER + "ram:PostalTradeAddress/" + _part,)
    _CII_HEADER[_buyer_term] = (_C_BUYER + "ram:PostalTradeAddress/" + _part,)

_CII_LINES: Final = ("{transaction}/ram:IncludedSupplyChainTradeLineItem",)
_CII_LINE: Final[Paths] = {
    "BT-126": ("ram:AssociatedDocumentLineDocument/ram:LineID",),
    "BT-127": ("ram:AssociatedDocumentLineDocument/ram:IncludedNote/ram:Content",),
    "BT-129": ("{line_delivery}/ram:BilledQuantity",),
    "BT-130": ("{line_delivery}/ram:BilledQuantity/@unitCode",),
    "BT-131": ("{line_settlement}/{line_summation}/ram:LineTotalAmount",),
    "BT-132": ("{line_agreement}/ram:BuyerOrderReferencedDocument/ram:LineID",),
    "BT-146": ("{line_agreement}/ram:NetPriceProductTradePrice/ram:ChargeAmount",),
    "BT-149": ("{line_agreement}/ram:NetPriceProductTradePrice/ram:BasisQuantity",),
    "BT-151": ("{line_settlement}/ram:ApplicableTradeTax/ram:CategoryCode",),
    "BT-152": ("{line_settlement}/ram:ApplicableTradeTax/{rate}",),
    "BT-153": ("ram:SpecifiedTradeProduct/ram:Name",),
    "BT-154": ("ram:SpecifiedTradeProduct/ram:Description",),
    "BT-155": ("ram:SpecifiedTradeProduct/ram:SellerAssignedID",),
    # Not business terms: ZUGFeRD/Factur-X EXTENDED's line hierarchy.
    "parent": ("ram:AssociatedDocumentLineDocument/ram:ParentLineID",),
    "status": ("ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode",),
}
_CII_BREAKDOWN: Final = _C_SETTLE + "ram:ApplicableTradeTax"
_CII_BREAKDOWN_TERMS: Final[Paths] = {
    "BT-116": ("ram:BasisAmount",),
    "BT-117": ("ram:CalculatedAmount",),
    "BT-118": ("ram:CategoryCode",),
    "BT-119": ("{rate}",),
    "BT-120": ("ram:ExemptionReason",),
    "BT-121": ("ram:ExemptionReasonCode",),
}
_CII_ALLOWANCES: Final = (_C_SETTLE + "ram:SpecifiedTradeAllowanceCharge",)
_CII_LINE_ALLOWANCES: Final = "{line_settlement}/ram:SpecifiedTradeAllowanceCharge"
CII_CHARGE_INDICATOR: Final = "ram:ChargeIndicator/udt:Indicator"
_CII_ALLOWANCE_TERMS: Final[Paths] = {
    "BT-92": ("ram:ActualAmount",),
    "BT-93": ("ram:BasisAmount",),
    "BT-94": ("ram:CalculationPercent",),
    "BT-95": ("ram:CategoryTradeTax/ram:CategoryCode",),
    "BT-96": ("ram:CategoryTradeTax/{rate}",),
    "BT-97": ("ram:Reason",),
    "BT-98": ("ram:ReasonCode",),
}
# ZUGFeRD 1.0 and CII EXTENDED carry freight as logistics service charges: charges to
# the sum of charges (BT-108) like any other.
_CII_SERVICE_CHARGES: Final = _C_SETTLE + "ram:SpecifiedLogisticsServiceCharge"
_CII_SERVICE_CHARGE_TERMS: Final[Paths] = {
    "BT-92": ("ram:AppliedAmount",),
    "BT-95": ("ram:AppliedTradeTax/ram:CategoryCode",),
    "BT-96": ("ram:AppliedTradeTax/{rate}",),
    "BT-97": ("ram:Description",),
}

# --- Svefaktura 1.0 (UBL 1.0 with SFTI's components) --------------------------------

_S_SELLER = "cac:SellerParty/cac:Party/"
_S_BUYER = "cac:BuyerParty/cac:Party/"
_S_ADDRESS: Final[tuple[tuple[str, str, str], ...]] = (
    ("BT-35", "BT-50", "cbc:StreetName"),
    ("BT-36", "BT-51", "cbc:AdditionalStreetName"),
    ("BT-38", "BT-53", "cbc:PostalZone"),
    ("BT-37", "BT-52", "cbc:CityName"),
    ("BT-40", "BT-55", "cac:Country/cac:IdentificationCode"),
)
_SVEFAKTURA_HEADER: Final[Paths] = {
    "BT-1": ("inv:ID",),
    "BT-2": ("cbc:IssueDate",),
    "BT-3": ("inv:InvoiceTypeCode",),
    "BT-5": ("inv:InvoiceCurrencyCode",),
    "BT-9": ("cac:PaymentMeans/cbc:DuePaymentDate",),
    "BT-13": ("cac:OrderReference/cac:BuyersID",),
    "BT-20": ("cac:PaymentTerms/cbc:Note",),
    "BT-27": (_S_SELLER + "cac:PartyTaxScheme/cbc:RegistrationName",),
    "BT-28": (_S_SELLER + "cac:PartyName/cbc:Name",),
    "BT-31": (_S_SELLER + "cac:PartyTaxScheme[cac:TaxScheme/cac:ID='VAT']/cac:CompanyID",),
    "BT-32": (_S_SELLER + "cac:PartyTaxScheme[not(cac:TaxScheme/cac:ID='VAT')]/cac:CompanyID",),
    "BT-42": (_S_SELLER + "cac:Contact/cbc:Telephone",),
    "BT-43": (_S_SELLER + "cac:Contact/cbc:ElectronicMail",),
    "BT-44": (_S_BUYER + "cac:PartyTaxScheme/cbc:RegistrationName",),
    "BT-45": (_S_BUYER + "cac:PartyName/cbc:Name",),
    "BT-72": ("cac:Delivery/cbc:ActualDeliveryDateTime",),
    "BT-84": ("cac:PaymentMeans/cac:PayeeFinancialAccount/cac:ID",),
    "BT-86": (
        "cac:PaymentMeans/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch"
        "/cac:FinancialInstitution/cac:ID",
    ),
    "BT-106": ("cac:LegalTotal/cbc:LineExtensionTotalAmount",),
    "BT-109": ("cac:LegalTotal/cbc:TaxExclusiveTotalAmount",),
    "BT-110": ("cac:TaxTotal/cbc:TotalTaxAmount",),
    "BT-112": ("cac:LegalTotal/cbc:TaxInclusiveTotalAmount",),
    "BT-114": ("cac:LegalTotal/cbc:RoundOffAmount",),
    # Svefaktura has no prepayment and no amount due of its own: the total with VAT
    # (rounding included) is what is payable.
    "BT-115": ("cac:LegalTotal/cbc:TaxInclusiveTotalAmount",),
}
for _seller_term, _buyer_term, _part in _S_ADDRESS:
    _SVEFAKTURA_HEADER[_seller_term] = (f"{_S_SELLER}cac:Address/{_part}",)
    _SVEFAKTURA_HEADER[_buyer_term] = (f"{_S_BUYER}cac:Address/{_part}",)
_SVEFAKTURA_LINE: Final[Paths] = {
    "BT-126": ("cac:ID",),
    "BT-127": ("cbc:Note",),
    "BT-129": ("cbc:InvoicedQuantity",),
    "BT-130": ("cbc:InvoicedQuantity/@quantityUnitCode",),
    "BT-131": ("cbc:LineExtensionAmount",),
    "BT-146": ("cac:Item/cac:BasePrice/cbc:PriceAmount",),
    "BT-149": ("cac:Item/cac:BasePrice/cbc:BaseQuantity",),
    "BT-151": ("cac:Item/cac:TaxCategory/cac:ID",),
    "BT-152": ("cac:Item/cac:TaxCategory/cbc:Percent",),
    "BT-153": ("cac:Item/cbc:Description",),
    "BT-155": ("cac:Item/cac:SellersItemIdentification/cac:ID",),
}
_SVEFAKTURA_BREAKDOWN_TERMS: Final[Paths] = {
    "BT-116": ("cbc:TaxableAmount",),
    "BT-117": ("cbc:TaxAmount",),
    "BT-118": ("cac:TaxCategory/cac:ID",),
    "BT-119": ("cac:TaxCategory/cbc:Percent",),
}
_SVEFAKTURA_ALLOWANCE_TERMS: Final[Paths] = {
    "BT-92": ("cbc:Amount",),
    "BT-94": ("cbc:MultiplierFactorNumeric",),
    "BT-95": ("cac:TaxCategory/cac:ID",),
    "BT-96": ("cac:TaxCategory/cbc:Percent",),
    "BT-97": ("cbc:AllowanceChargeReasonCode",),
}

THIRD_PARTY: Final = "BT-DEX-002"
"""XRechnung's extension: the sum of amounts third parties paid (BG-DEX-09), added to the
amount due (BR-DEX-09). Read as one term: the reader sums its occurrences."""

CHARGE_TERMS: Final[dict[str, str]] = {
    "BT-92": "BT-99",
    "BT-93": "BT-100",
    "BT-94": "BT-101",
    "BT-95": "BT-102",
    "BT-96": "BT-103",
    "BT-97": "BT-104",
    "BT-98": "BT-105",
}
"""A document-level charge's terms (BG-21), by the allowance term (BG-20) in the same place."""

SELLER_ADDRESS: Final = tuple(term for term, _, _ in _UBL_ADDRESS)
BUYER_ADDRESS: Final = tuple(term for _, term, _ in _UBL_ADDRESS)


@dataclass(frozen=True)
class Layout:
    """The paths of one syntax, with CII's placeholders filled in."""

    ubl: bool
    header: Paths
    lines: tuple[str, ...]
    line: Paths
    breakdown: tuple[str, ...]
    breakdown_terms: Paths
    allowances: tuple[str, ...]
    line_allowances: tuple[str, ...]
    allowance_terms: Paths
    charge_indicator: str
    service_charges: tuple[str, ...] = ()
    service_charge_terms: Paths = field(default_factory=dict)


def layout(syntax: Syntax) -> Layout:
    """The paths of `syntax`."""
    if syntax is Syntax.SVEFAKTURA:
        return Layout(
            ubl=True,
            header=_SVEFAKTURA_HEADER,
            lines=("cac:InvoiceLine",),
            line=_SVEFAKTURA_LINE,
            breakdown=("cac:TaxTotal/cac:TaxSubTotal",),
            breakdown_terms=_SVEFAKTURA_BREAKDOWN_TERMS,
            allowances=UBL_ALLOWANCES,
            line_allowances=UBL_ALLOWANCES,
            allowance_terms=_SVEFAKTURA_ALLOWANCE_TERMS,
            charge_indicator=UBL_CHARGE_INDICATOR,
        )
    if syntax in (Syntax.UBL_INVOICE, Syntax.UBL_CREDIT_NOTE):
        return Layout(
            ubl=True,
            header=UBL_HEADER,
            lines=UBL_LINES,
            line=UBL_LINE,
            breakdown=(UBL_BREAKDOWN,),
            breakdown_terms=UBL_BREAKDOWN_TERMS,
            allowances=UBL_ALLOWANCES,
            line_allowances=UBL_ALLOWANCES,
            allowance_terms=UBL_ALLOWANCE_TERMS,
            charge_indicator=UBL_CHARGE_INDICATOR,
        )
    names = _ZUGFERD_1_NAMES if syntax is Syntax.ZUGFERD_1 else _CII_NAMES
    return Layout(
        ubl=False,
        header=_fill(_CII_HEADER, names),
        lines=tuple(path.format(**names) for path in _CII_LINES),
        line=_fill(_CII_LINE, names),
        breakdown=(_CII_BREAKDOWN.format(**names),),
        breakdown_terms=_fill(_CII_BREAKDOWN_TERMS, names),
        allowances=tuple(path.format(**names) for path in _CII_ALLOWANCES),
        line_allowances=(_CII_LINE_ALLOWANCES.format(**names),),
        allowance_terms=_fill(_CII_ALLOWANCE_TERMS, names),
        charge_indicator=CII_CHARGE_INDICATOR,
        service_charges=(_CII_SERVICE_CHARGES.format(**names),),
        service_charge_terms=_fill(_CII_SERVICE_CHARGE_TERMS, names),
    )


def _fill(paths: Paths, names: dict[str, str]) -> Paths:
    return {
        term: tuple(path.format(**names) for path in options) for term, options in paths.items()
    }
