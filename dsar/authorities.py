"""Where a requester can complain about how an organization handled a privacy request.

Letters name the public body a requester may turn to when they are unhappy with the answer:
the national supervisory authority in the EU/EEA (GDPR Art. 77(1): "in particular in the Member
State of his or her habitual residence"), the Information Commissioner in the United Kingdom, the
California Privacy Protection Agency and the Attorney General in California, the Attorney General
in the other US states with a comprehensive privacy law (those laws have no private right of action
and no agency of their own: the Attorney General alone enforces them), the ANPD in Brazil and the
Privacy Commissioner in Canada. Anything else returns no authority, and the letter falls back to
general wording rather than to a guess. Pure, like `dsar.jurisdictions`: no Django, no clock.

Every entry was checked against a stored copy of a public page; the comment above it names the
page. "official" is the authority's own site (or its government's portal); "secondary" means no
official page could be read and two or more independent public sources agree (datenanfragen.de's
curated list of supervisory authorities, github.com/datenanfragen/data, and privacy notices that
print the same address). A detail that could not be checked at all is left "" rather than guessed,
and a complaint page that could not be checked gives way to a home page that could. Re-check
before each release: authorities move, rename and redesign their sites (docs/complaint-routes.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from dsar.jurisdictions import US_STATE_LAWS, Jurisdiction


class Role(StrEnum):
    """What kind of body it is, which decides the letter's wording."""

    SUPERVISORY_AUTHORITY = "supervisory_authority"  # GDPR, UK GDPR, LGPD: handles complaints
    PRIVACY_AGENCY = "privacy_agency"  # the CPPA: investigates, does not act for the individual
    ATTORNEY_GENERAL = "attorney_general"  # US states: receives complaints, sues in the public name
    PRIVACY_COMMISSIONER = "privacy_commissioner"  # Canada: investigates, reports its findings


@dataclass(frozen=True)
class Authority:
    """A public body a resident of `code` can complain to, as a letter prints it."""

    code: str  # the residence code it serves, e.g. "FR", "GB", "US-CA"
    name: str  # English name
    local_name: str  # official name in the local language ("" when English)
    acronym: str  # "" when none
    address: str  # postal address, lines separated by "\n" ("" when not verified or online only)
    website: str  # https URL of the complaint page (or home page)
    role: Role
    law: str  # the law's name as a requester reads it
    citation: str  # the provision giving the right to complain or making it the enforcer
    note: str = ""  # one sentence a requester needs before complaining, printed with the entry


# GDPR Art. 77(1); the EEA Agreement extends the GDPR to Iceland, Liechtenstein and Norway.
_GDPR = "Regulation (EU) 2016/679 (GDPR) Art. 77(1)"
_GDPR_EEA = "Regulation (EU) 2016/679 (GDPR) Art. 77(1), as incorporated into the EEA Agreement"


def _sa(
    code: str, name: str, local_name: str, acronym: str, address: str, website: str, note: str = ""
) -> Authority:
    """A national supervisory authority under the GDPR."""
    citation = _GDPR_EEA if code in {"IS", "LI", "NO"} else _GDPR
    role = Role.SUPERVISORY_AUTHORITY
    return Authority(
        code, name, local_name, acronym, address, website, role, "GDPR", citation, note
    )


# fmt: off
_EEA = (
    # official: https://www.data-protection-authority.gv.at/siteinfo/Privacy-policy.html
    _sa("AT", "Austrian Data Protection Authority", "Österreichische Datenschutzbehörde", "DSB",
        "Barichgasse 40-42\n1030 Wien\nAustria", "https://www.dsb.gv.at"),
    # official: https://www.dataprotectionauthority.be/privacy-statement
    _sa("BE", "Belgian Data Protection Authority",
        "Autorité de protection des données / Gegevensbeschermingsautoriteit", "APD/GBA",
        "Rue de la Presse 35 / Drukpersstraat 35\n1000 Bruxelles / Brussel\nBelgium",
        "https://www.dataprotectionauthority.be"),
    # official (complaint page, address, language, signature): https://cpdp.bg/en/?p=pages&aid=56
    _sa("BG", "Commission for Personal Data Protection", "Комисия за защита на личните данни",
        "CPDP", "2 Prof. Tsvetan Lazarov Blvd.\nSofia 1592\nBulgaria",
        "https://cpdp.bg/en/?p=pages&aid=56",
        "Complaints must be in Bulgarian or translated into it; a complaint sent by email must "
        "carry a qualified electronic signature."),
    # official (complaint page, address): https://azop.hr/zahtjev-za-utvrdivanje-povrede-prava/
    _sa("HR", "Croatian Personal Data Protection Agency", "Agencija za zaštitu osobnih podataka",
        "AZOP", "Selska cesta 136\n10000 Zagreb\nCroatia",
        "https://azop.hr/zahtjev-za-utvrdivanje-povrede-prava/"),
    # official (name, complaint procedure; the site was stored over http only):
    # http://www.dataprotection.gov.cy/dataprotection/dataprotection.nsf/page1i_en/page1i_en
    # secondary (address): datenanfragen cydp.json; privacy notices citing "Iasonos 1, 1082 Nicosia"
    _sa("CY", "Commissioner for Personal Data Protection",
        "Γραφείο Επιτρόπου Προστασίας Δεδομένων Προσωπικού Χαρακτήρα", "",
        "Iasonos 1\n1082 Nicosia\nCyprus", "https://www.dataprotection.gov.cy"),
    # secondary (address, domain uoou.gov.cz; the older www.uoou.cz is the stored official site):
    # datenanfragen czcuooz.json; privacy notices citing "Pplk. Sochora 27, 170 00 Praha 7"
    _sa("CZ", "Office for Personal Data Protection", "Úřad pro ochranu osobních údajů", "ÚOOÚ",
        "Pplk. Sochora 27\n170 00 Praha 7\nCzech Republic", "https://uoou.gov.cz"),
    # official: https://admin.datatilsynet.dk/kontakt/skriv-til-os/naar-du-skriver-til-os
    _sa("DK", "Danish Data Protection Agency", "Datatilsynet", "",
        "Carl Jacobsens Vej 35\n2500 Valby\nDenmark", "https://www.datatilsynet.dk"),
    # official (site): https://www.aki.ee/vota-uhendust
    # secondary (address): datenanfragen eeaki.json; privacy notices citing "Tatari 39, 10134"
    _sa("EE", "Estonian Data Protection Inspectorate", "Andmekaitse Inspektsioon", "AKI",
        "Tatari 39\n10134 Tallinn\nEstonia", "https://www.aki.ee"),
    # official: https://tietosuoja.fi/yhteystiedot (postal address; visits: Lintulahdenkuja 4)
    _sa("FI", "Office of the Data Protection Ombudsman", "Tietosuojavaltuutetun toimisto", "",
        "PL 800\n00531 Helsinki\nFinland", "https://tietosuoja.fi"),
    # official (complaint page, French only): https://cnil.fr./adresser-une-plainte and
    # https://cnil.fr/fr/node/166989; secondary (address): https://www.dpo-partage.fr/comment-joindre-la-cnil/
    # and datenanfragen frcnil.json
    _sa("FR", "French Data Protection Authority",
        "Commission nationale de l'informatique et des libertés", "CNIL",
        "3 Place de Fontenoy\nTSA 80715\n75334 Paris Cedex 07\nFrance",
        "https://www.cnil.fr/fr/adresser-une-plainte",
        "The CNIL asks for complaints written in French."),
    # official: https://www.bfdi.bund.de/EN/Meta/PrivacyPolicy/privacypolicy_node.html
    # BDSG §19(2) (forwarding): https://gdpr.berlin/federal-law-bdsg/19-bdsg-zustandigkeiten
    _sa("DE", "Federal Commissioner for Data Protection and Freedom of Information",
        "Bundesbeauftragte für den Datenschutz und die Informationsfreiheit", "BfDI",
        "Graurheindorfer Straße 153\n53117 Bonn\nGermany", "https://www.bfdi.bund.de",
        "Most companies are supervised by the data protection authority of a Land (federal "
        "state); the authority of the Land where you live is also competent to receive your "
        "complaint, and an authority that is not competent forwards it (BDSG §19(2))."),
    # official (site): https://www.dpa.gr/portal/page?_pageid=33,43321&_dad=portal&_schema=PORTAL
    # secondary (address): https://gdprhub.eu/index.php?oldid=34331&title=HDPA_%28Greece%29
    _sa("GR", "Hellenic Data Protection Authority",
        "Αρχή Προστασίας Δεδομένων Προσωπικού Χαρακτήρα", "HDPA",
        "Kifisias 1-3\n115 23 Athens\nGreece", "https://www.dpa.gr"),
    # official (site): https://www.naih.hu; secondary (postal address; offices at Falk Miksa
    # utca 9-11, 1055 Budapest): datenanfragen hunaih.json and privacy notices
    _sa("HU", "Hungarian National Authority for Data Protection and Freedom of Information",
        "Nemzeti Adatvédelmi és Információszabadság Hatóság", "NAIH",
        "Pf. 9\n1363 Budapest\nHungary", "https://www.naih.hu"),
    # official: https://dataprotection.ie/en/about-our-site/data-protection-statement
    _sa("IE", "Data Protection Commission", "", "DPC",
        "21 Fitzwilliam Square South\nDublin 2\nD02 RD28\nIreland",
        "https://www.dataprotection.ie"),
    # official (site): https://www.garanteprivacy.it; secondary (address): datenanfragen
    # itgpdp.json and https://servizilegaliweb.it/come-fare-reclamo-al-garante-per-violazione-della-privacy-71357.html/amp
    _sa("IT", "Italian Data Protection Authority",
        "Garante per la protezione dei dati personali", "",
        "Piazza Venezia 11\n00187 Roma\nItaly", "https://www.garanteprivacy.it"),
    # official: https://www.dvi.gov.lv/lv/viegli-lasit-0 (address) and
    # https://www.dvi.gov.lv/lv/pakalpojumi/sudziba-par-personas-datu-apstradi (complaint page)
    _sa("LV", "Data State Inspectorate", "Datu valsts inspekcija", "DVI",
        "Elijas iela 17\nRīga, LV-1050\nLatvia",
        "https://www.dvi.gov.lv/lv/pakalpojumi/sudziba-par-personas-datu-apstradi"),
    # official: https://datenschutzstelle.li/index.php?cID=370 (Postfach 684, 9490 Vaduz). The
    # street differs between sources (Kirchstrasse 8 there, Städtle 38 in datenanfragen lidss.json):
    # only the post box, which both give, is printed.
    _sa("LI", "Data Protection Authority of the Principality of Liechtenstein",
        "Datenschutzstelle Fürstentum Liechtenstein", "DSS",
        "Postfach 684\n9490 Vaduz\nLiechtenstein", "https://www.datenschutzstelle.li"),
    # official (complaint page): https://vdai.lrv.lt/lt/veiklos-sritys-1/skundu-nagrinejimas
    # secondary (address): datenanfragen ltada.json; privacy notices citing "L. Sapiegos g. 17"
    _sa("LT", "State Data Protection Inspectorate", "Valstybinė duomenų apsaugos inspekcija",
        "VDAI", "L. Sapiegos g. 17\nLT-10312 Vilnius\nLithuania",
        "https://vdai.lrv.lt/lt/veiklos-sritys-1/skundu-nagrinejimas"),
    # official: https://cnpd.public.lu/en/support/protection-des-donnees.html (address) and
    # https://cnpd.public.lu/en/particuliers/faire-valoir.html (complaint page)
    _sa("LU", "National Commission for Data Protection",
        "Commission nationale pour la protection des données", "CNPD",
        "15, Boulevard du Jazz\nL-4370 Belvaux\nLuxembourg",
        "https://cnpd.public.lu/en/particuliers/faire-valoir.html"),
    # official: https://idpc.org.mt/data-protection-notice
    _sa("MT", "Office of the Information and Data Protection Commissioner", "", "IDPC",
        "Floor 2, Airways House\nHigh Street\nSliema SLM 1549\nMalta", "https://idpc.org.mt"),
    # official: https://autoriteitpersoonsgegevens.nl/contact/klacht-over-de-ap (address) and
    # https://autoriteitpersoonsgegevens.nl/nl/voordat-u-een-klacht-indient (complaint page)
    _sa("NL", "Dutch Data Protection Authority", "Autoriteit Persoonsgegevens", "AP",
        "Postbus 93374\n2509 AJ Den Haag\nNetherlands",
        "https://autoriteitpersoonsgegevens.nl/nl/voordat-u-een-klacht-indient"),
    # official: https://www.biznes.gov.pl/en/opisy-procedur/-/proc/891 (government portal)
    _sa("PL", "Personal Data Protection Office", "Urząd Ochrony Danych Osobowych", "UODO",
        "ul. Stawki 2\n00-193 Warszawa\nPoland", "https://uodo.gov.pl"),
    # secondary (address; the Council of Europe page still gives the former one): datenanfragen
    # ptcnpd.json and privacy notices citing "Av. D. Carlos I, 134, 1.º, 1200-651 Lisboa"
    _sa("PT", "National Data Protection Commission", "Comissão Nacional de Proteção de Dados",
        "CNPD", "Av. D. Carlos I, 134, 1.º\n1200-651 Lisboa\nPortugal", "https://www.cnpd.pt"),
    # official (complaint page): https://www.dataprotection.ro/?page=Plangeri_raspuns_nu
    # secondary (address): datenanfragen roanspdcp.json; the ANSPDCP's complaint notice as quoted
    # at https://ambulantatimis1.odoo.com/gdprlegislatie
    _sa("RO", "National Supervisory Authority for Personal Data Processing",
        "Autoritatea Națională de Supraveghere a Prelucrării Datelor cu Caracter Personal",
        "ANSPDCP", "B-dul G-ral. Gheorghe Magheru 28-30\nSector 1, 010336 București\nRomania",
        "https://www.dataprotection.ro/?page=Plangeri_raspuns_nu"),
    # official (complaint page): https://dataprotection.gov.sk/sk/urad/konanie-ochrane-osobnych-udajov/
    # secondary (address): datenanfragen skunoou.json; privacy notices citing "Hraničná 12"
    _sa("SK", "Office for Personal Data Protection of the Slovak Republic",
        "Úrad na ochranu osobných údajov Slovenskej republiky", "ÚOOÚ SR",
        "Hraničná 12\n820 07 Bratislava 27\nSlovakia",
        "https://dataprotection.gov.sk/sk/urad/konanie-ochrane-osobnych-udajov/"),
    # official (site): https://www.ip-rs.si; secondary (address): datenanfragen siiprs.json and
    # privacy notices citing "Dunajska cesta 22, 1000 Ljubljana"
    _sa("SI", "Information Commissioner of the Republic of Slovenia",
        "Informacijski pooblaščenec Republike Slovenije", "IP",
        "Dunajska cesta 22\n1000 Ljubljana\nSlovenia", "https://www.ip-rs.si"),
    # official (electronic office): https://sedeagpd.gob.es/sede-electronica-web/
    # secondary (address): datenanfragen esaepa.json; privacy notices citing
    # "C/ Jorge Juan, 6. 28001 Madrid" (one encyclopaedia gives 28071)
    _sa("ES", "Spanish Data Protection Agency", "Agencia Española de Protección de Datos",
        "AEPD", "C/ Jorge Juan, 6\n28001 Madrid\nSpain", "https://www.aepd.es",
        "Complaints are lodged with the AEPD's electronic office, https://sedeagpd.gob.es."),
    # official: https://www.imy.se/om-oss/etjanst-avbrott/ (address) and
    # https://www.imy.se/privatperson/utfora-arenden/lamna-ett-klagomal/ (complaint page)
    _sa("SE", "Swedish Authority for Privacy Protection", "Integritetsskyddsmyndigheten", "IMY",
        "Box 8114\n104 20 Stockholm\nSweden",
        "https://www.imy.se/privatperson/utfora-arenden/lamna-ett-klagomal/"),
    # official (the authority's own privacy notice on the government portal):
    # https://island.is/en/o/the-data-protection-authority/data-protection-policy
    # (a third-party notice still gives the former address, Rauðarárstígur 10)
    _sa("IS", "Icelandic Data Protection Authority", "Persónuvernd", "",
        "Laugavegur 166, 4th floor\n105 Reykjavík\nIceland", "https://www.personuvernd.is"),
    # official (complaint page, address):
    # https://www.datatilsynet.no/en/about-us/contact-us/how-to-complain-to-the-norwegian-dpa/
    _sa("NO", "Norwegian Data Protection Authority", "Datatilsynet", "",
        "Postboks 458 Sentrum\n0105 Oslo\nNorway",
        "https://www.datatilsynet.no/en/about-us/contact-us/how-to-complain-to-the-norwegian-dpa/"),
)

# official: https://ico.org.uk/make-a-complaint/data-protection-complaints/what-to-expect/
# (complain to the organisation first, then within three months); address: the ICO's own
# post-submission page and datenanfragen gbico.json; DPA 2018 s.165:
# https://www.legislation.gov.uk/ukpga/2018/12/part/6/crossheading/complaints/enacted
_GB = Authority(
    "GB", "Information Commissioner's Office", "", "ICO",
    "Wycliffe House\nWater Lane\nWilmslow\nCheshire\nSK9 5AF\nUnited Kingdom",
    "https://ico.org.uk/make-a-complaint/", Role.SUPERVISORY_AUTHORITY, "UK GDPR",
    "UK GDPR Art. 77; Data Protection Act 2018 s.165",
    "The ICO expects you to raise the matter with the organisation first and to complain "
    "within three months of your last contact with it.",
)

# official (complaint page; the Agency calls itself CalPrivacy since December 2025):
# https://privacy.ca.gov/submit-a-complaint and the form text at
# https://cppa.ca.gov/webapplications/complaint ("does not represent individual consumers").
# Statutes: §1798.199.10 et seq. create the Agency; §1798.199.45(a) "upon the sworn complaint of
# any person"; §1798.155(a) administrative fines in actions brought by the Agency.
# The mailing address (2101 Arena Blvd, Sacramento) appears only in unofficial copies: left "".
_CPPA = Authority(
    "US-CA", "California Privacy Protection Agency", "", "CPPA", "",
    "https://privacy.ca.gov/submit-a-complaint", Role.PRIVACY_AGENCY, "CCPA",
    "Cal. Civ. Code §1798.199.10 et seq.; §1798.199.45 (complaints); §1798.155 (fines)",
    "The Agency (also called CalPrivacy) does not act for individual consumers; complaints "
    "inform its investigations.",
)
# secondary (complaint page, cited by the CPPA's form as the Department of Justice's complaint
# system; official site: https://oag.ca.gov/consumer-privacy-tool/); §1798.199.90(a): civil
# penalties "in a civil action brought ... by the Attorney General". Address (P.O. Box 944255)
# only in unofficial copies: left "".
_CA_AG = Authority(
    "US-CA", "California Department of Justice, Office of the Attorney General", "", "", "",
    "https://oag.ca.gov/contact/consumer-complaint-against-business-or-company",
    Role.ATTORNEY_GENERAL, "CCPA", "Cal. Civ. Code §1798.199.90",
)


def _ag(state: str, name: str, website: str, citation: str, note: str = "") -> Authority:
    """A US state Attorney General, for the state's law in `US_STATE_LAWS`."""
    law = US_STATE_LAWS[state].name
    return Authority(f"US-{state}", name, "", "", "", website, Role.ATTORNEY_GENERAL, law,
                     citation, note)


# US state Attorneys General. No postal address is printed: few could be read on an official
# page, and complaints go through the online forms. Where the form's URL could not be read on an
# official page and unofficial copies disagree, the office's home page is given instead.
_STATE_AGS = (
    # statute: Va. Code §59.1-584(A) "exclusive authority" (text quoted in 2026 HB 1368);
    # official section: https://oag.state.va.us/consumer-protection/about-us; secondary (form URL):
    # privacy notices that point appeals to it
    _ag("VA", "Office of the Attorney General of Virginia, Consumer Protection Section",
        "https://www.oag.state.va.us/consumer-protection/index.php/file-a-complaint",
        "Va. Code §59.1-584(A)"),
    # statute: https://codes.findlaw.com/co/title-6-consumer-and-commercial-affairs/co-rev-st-sect-6-1-1311/
    # official (complaint page with a data privacy section): https://coag.gov/file-complaint/
    _ag("CO", "Colorado Attorney General (Colorado Department of Law)",
        "https://coag.gov/file-complaint/", "Colo. Rev. Stat. §6-1-1311(1)(a)",
        "District attorneys share the Attorney General's authority to enforce the Act."),
    # statute: Conn. Gen. Stat. §42-525(a) (casetext mirror); official section page linking the
    # form: https://portal.ct.gov/ag/sections/consumer-advocacy/consumer-advocacy
    _ag("CT", "Office of the Attorney General of Connecticut",
        "https://portal.ct.gov/AG/Common/Complaint-Form-Landing-page",
        "Conn. Gen. Stat. §42-525(a)"),
    # statute: https://codes.findlaw.com/ut/title-13-commerce-and-trade/ut-code-sect-13-61-402/
    # (complaint URLs in unofficial copies disagree: home page)
    _ag("UT", "Office of the Utah Attorney General", "https://attorneygeneral.utah.gov",
        "Utah Code §13-61-402(1)",
        "The Attorney General acts on referral from the Utah Division of Consumer Protection "
        "(Utah Code §13-61-402(2))."),
    # statute: Tex. Bus. & Com. Code §541.151 and §541.152 (online complaint mechanism), deskbook
    # https://online.flipbuilder.com/bzaa/mvgs/files/basic-html/page366.html; official process
    # page: https://texasattorneygeneral.gov/cpd/the-consumer-complaint-process; secondary (form)
    _ag("TX", "Office of the Texas Attorney General, Consumer Protection Division",
        "https://www.texasattorneygeneral.gov/consumer-protection/file-consumer-complaint",
        "Tex. Bus. & Com. Code §541.151"),
    # statute: Or. Rev. Stat. §646A.589(8), deskbook .../page371.html; official: "The Attorney
    # General has sole enforcement power", https://www.doj.state.or.us/media-home/news-media-releases/faq_category/business-privacy-faqs/
    _ag("OR", "Oregon Department of Justice (Office of the Attorney General)",
        "https://www.doj.state.or.us", "Or. Rev. Stat. §646A.589"),
    # statute: Mont. Code Ann. §30-14-2817 (SB 384 §12, deskbook .../page266.html; section list at
    # https://cliclaw.com/node/9139); official: https://dojmt.gov/consumer/agriculture/know-the-law/
    _ag("MT", "Montana Department of Justice, Office of Consumer Protection",
        "https://dojmt.gov", "Mont. Code Ann. §30-14-2817"),
    # statute: Iowa Code §715D.8(1), enrolled SF 262 (deskbook .../page221.html);
    # secondary (form): privacy notices and directories that agree on it
    _ag("IA", "Office of the Iowa Attorney General, Consumer Protection Division",
        "https://www.iowaattorneygeneral.gov/for-consumers/file-a-consumer-complaint",
        "Iowa Code §715D.8(1)"),
    # official: https://attorneygeneral.delaware.gov/fraud/cpu/complaint and
    # https://attorneygeneral.delaware.gov/fraud/personal-data-privacy-portal/frequently-asked-questions
    # (complaints under the Act by email); the enforcement section number was not verified
    _ag("DE", "Delaware Department of Justice, Fraud and Consumer Protection Division",
        "https://attorneygeneral.delaware.gov/fraud/cpu/complaint",
        "Del. Code tit. 6, ch. 12D (enforced by the Department of Justice)",
        "The Department of Justice asks for complaints under the Act by email to "
        "privacy@delaware.gov."),
    # statute: Neb. Rev. Stat. §87-1119 ("Attorney General; enforcement"); official domain:
    # https://protectthegoodlife.nebraska.gov/data-breach-notification
    _ag("NE", "Nebraska Attorney General, Consumer Protection Division",
        "https://protectthegoodlife.nebraska.gov", "Neb. Rev. Stat. §87-1119"),
    # statute: RSA 507-H:11(I), deskbook .../page342.html; official: https://www.doj.nh.gov/consumer/complaints/
    _ag("NH", "New Hampshire Department of Justice, Consumer Protection and Antitrust Bureau",
        "https://www.doj.nh.gov/consumer/complaints/", "N.H. Rev. Stat. §507-H:11(I)"),
    # official domain: https://www.njconsumeraffairs.gov (Division of Consumer Affairs); the
    # Attorney General's exclusive authority is §16 of the Act; codified section not verified
    _ag("NJ", "New Jersey Office of the Attorney General, Division of Consumer Affairs",
        "https://www.njconsumeraffairs.gov",
        "N.J. Stat. §56:8-166.4 et seq. (enforced by the Attorney General)"),
    # statute: https://codes.findlaw.com/tn/title-47-commercial-instruments-and-transactions/tn-code-sect-47-18-3313/
    # official: https://www.tn.gov/attorneygeneral/working-for-tennessee/consumer-affairs.html
    _ag("TN", "Tennessee Attorney General's Office, Division of Consumer Affairs",
        "https://www.tn.gov/attorneygeneral/working-for-tennessee/consumer-affairs.html",
        "Tenn. Code §47-18-3313(a)"),
    # official: "only the Attorney General may enforce the Act",
    # https://www.ag.state.mn.us/Data-Privacy/Business/Controller/Enforcement.asp; the section
    # number (enacted as 325O.10, codified in ch. 325M) was not verified
    _ag("MN", "Minnesota Attorney General's Office", "https://www.ag.state.mn.us",
        "Minn. Stat. ch. 325M (enforced by the Attorney General)"),
    # enforcement by the Consumer Protection Division as an unfair or deceptive trade practice
    # (Com. Law Title 13): https://revisionlegal.com/internet-law/maryland-online-data-privacy-act-consumer-guide/
    # secondary (division page URL): several public references agree
    _ag("MD", "Office of the Attorney General of Maryland, Consumer Protection Division",
        "https://www.marylandattorneygeneral.gov/Pages/CPD/default.aspx",
        "Md. Code Com. Law §14-4601 et seq. (enforced by the Consumer Protection Division)"),
    # official path: the division's forms live under it (e.g. the breach form quoted at
    # https://klinedinstlaw.com/practice/privacy-data-security/indiana); section not verified
    _ag("IN", "Office of the Indiana Attorney General, Consumer Protection Division",
        "https://www.in.gov/attorneygeneral/consumer-protection-division/",
        "Ind. Code art. 24-15 (enforced by the Attorney General)"),
    # statute: 2024 HB 15 §9(1) "exclusive authority" (deskbook .../page230.html); codified
    # section not verified; secondary (home page)
    _ag("KY", "Office of the Kentucky Attorney General", "https://www.ag.ky.gov",
        "Ky. Rev. Stat. §367.3611 et seq. (enforced by the Attorney General)"),
    # statute: R.I. Gen. Laws §6-48.1-8 (https://www.recordinglaw.com/us-laws/data-privacy-laws/rhode-island-data-privacy-laws/ridtppa-compliance-checklist/);
    # secondary (home page)
    _ag("RI", "Office of the Rhode Island Attorney General", "https://riag.ri.gov",
        "R.I. Gen. Laws §6-48.1-8"),
)

# official (complaint page, gov.br login, no anonymous petitions):
# https://gov.br/anpd/pt-br/canais_atendimento/cidadao-titular-de-dados/peticao-de-titular-contra-controlador-de-dados/reclamacao
# LGPD Art. 18 §1 (right to petition the ANPD), Art. 55-J V (petitions after an unresolved
# complaint to the controller). Postal address not verified: left "".
_BR = Authority(
    "BR", "National Data Protection Authority", "Autoridade Nacional de Proteção de Dados",
    "ANPD", "",
    "https://gov.br/anpd/pt-br/canais_atendimento/cidadao-titular-de-dados/"
    "peticao-de-titular-contra-controlador-de-dados/reclamacao",
    Role.SUPERVISORY_AUTHORITY, "LGPD", "Lei 13.709/2018 (LGPD) Art. 18 §1; Art. 55-J V",
    "The ANPD takes a petition once you have complained to the organization without a "
    "solution; it is filed online with a gov.br login.",
)

# official: https://www.priv.gc.ca/en/report-a-concern/file-a-formal-privacy-complaint/file-a-complaint-about-a-business/file-a-complaint-under-pipeda
# (provincial laws in Alberta, British Columbia and Quebec); address:
# http://www.priv.gc.ca/complaint-plainte/pa_e.asp
_CA = Authority(
    "CA", "Office of the Privacy Commissioner of Canada", "", "OPC",
    "30 Victoria Street\nGatineau, Quebec\nK1A 1H3\nCanada",
    "https://www.priv.gc.ca/en/report-a-concern/file-a-formal-privacy-complaint/"
    "file-a-complaint-about-a-business/file-a-complaint-under-pipeda",
    Role.PRIVACY_COMMISSIONER, "PIPEDA", "PIPEDA s.11(1)",
    "In Alberta, British Columbia and Quebec a provincial privacy law may apply instead; the "
    "Commissioner's site explains where to complain.",
)
# fmt: on

_BY_RESIDENCE: Mapping[str, tuple[Authority, ...]] = {
    **{a.code: (a,) for a in _EEA},
    "GB": (_GB,),
    "US-CA": (_CPPA, _CA_AG),
    **{a.code: (a,) for a in _STATE_AGS},
    "BR": (_BR,),
    "CA": (_CA,),
}


def complaint_authorities(residence: str) -> tuple[Authority, ...]:
    """Who a resident of `residence` can complain to; () when none is known (general wording).

    `residence` is a code `Jurisdiction.parse` accepts ("fr", " US-CA " are normalised; anything
    else raises its ValueError). California gives the CPPA, then the Attorney General; "EU" and
    "US" give () because they do not say which country's or state's authority to name.
    """
    return _BY_RESIDENCE.get(Jurisdiction.parse(residence).code, ())
