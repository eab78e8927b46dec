"""The default wording of a letter's free-text parts, per letter language.

Staff see these in the preview and may rewrite them before issuing. They live beside the letter
templates' languages (templates/letters/<language>/), not in a gettext catalog: a letter is
written, reviewed and versioned as a whole in its language, and never comes out half translated.
"""

from __future__ import annotations

DEFAULTS: dict[str, dict[str, str]] = {
    "en": {
        "identity_details": (
            "Please confirm your identity by replying from the email address you used for your "
            "request, or by sending us a copy of a document that shows your name and postal "
            "address. You may black out everything else on it."
        ),
        "enclosure": (
            "A copy of your personal data is in a ZIP file (JSON and CSV files, with this "
            "letter) that you can download through a secure link we send you separately. The "
            "link works for {days} days."
        ),
        "automated_decisions": (
            "We do not take decisions about you based solely on automated processing, including "
            "profiling, that produce legal effects concerning you or similarly significantly "
            "affect you."
        ),
        "rectification": "We have corrected your personal data as you asked.",
        "erasure": "We have erased the personal data we held about you, except as set out below.",
        "restriction": (
            "We have restricted the processing of your personal data as you asked: we now only "
            "store it."
        ),
        "fee_reason": (
            "Your request is manifestly unfounded or excessive, in particular because of its "
            "repetitive character."
        ),
        "opt_out": "We have removed your contact details from all our marketing communications.",
        # The US state opt-outs (dsar.letters.law.opt_out), by what they stop. California's
        # opt-out of sale reaches the third parties the information went to after the request
        # (Cal. Code Regs. tit. 11 §7026(f)).
        "opt_out_sale_ca": (
            "We have stopped selling and sharing your personal information, and we have told "
            "the third parties to whom we sold or shared it after you made your request to "
            "stop as well."
        ),
        "opt_out_sale": "We have stopped selling your personal information.",
        "opt_out_targeted_ads": (
            "We no longer use or disclose your personal information for advertising based on "
            "your activity on other companies' websites and apps."
        ),
        "opt_out_profiling": (
            "We no longer use your personal information for profiling that leads to decisions "
            "with legal or similarly significant effects on you."
        ),
        "limit_sensitive": (
            "We now use and disclose your sensitive personal information only as needed to "
            "provide the goods and services you ask us for, and for the other purposes the law "
            "allows."
        ),
        "appeal_granted": (
            "We will now act on your request {reference} as you asked, and write to you when it "
            "is done."
        ),
        # Cal. Code Regs. tit. 11 §7021(a): how the request will be processed and verified.
        "verification": (
            "To protect your personal information, we will first confirm that the request comes "
            "from you: we match what you tell us (such as your name, email address and postal "
            "address) with information we already hold about you. If we need more, we will "
            "write to you and say exactly what we need; we use it only to verify your request. "
            "Once your request is verified, we search our systems and answer you in writing."
        ),
        # §7022(b)(1)-(2): erased, deidentified or aggregated; service providers told.
        "deletion_method": (
            "We permanently and completely erased your personal information from our existing "
            "systems, and told our service providers and contractors to delete it from their "
            "records."
        ),
        "policy_says": "Our privacy policy says: “{clause}”",
    },
    "es": {
        "identity_details": (
            "Confirme su identidad respondiendo desde la dirección de correo electrónico que "
            "utilizó para su solicitud o enviándonos una copia de un documento en el que figuren "
            "su nombre y su dirección postal. Puede tachar todos los demás datos del documento."
        ),
        "enclosure": (
            "Encontrará una copia de sus datos personales en un archivo ZIP (archivos JSON y "
            "CSV, junto con esta carta) que puede descargar mediante un enlace seguro que le "
            "enviamos por separado. El enlace funciona durante {days} días."
        ),
        "automated_decisions": (
            "No tomamos decisiones sobre usted basadas únicamente en un tratamiento "
            "automatizado, incluida la elaboración de perfiles, que produzcan efectos jurídicos "
            "en usted o le afecten significativamente de modo similar."
        ),
        "rectification": "Hemos rectificado sus datos personales tal como nos pidió.",
        "erasure": (
            "Hemos suprimido los datos personales que tratábamos sobre usted, salvo lo que se "
            "indica a continuación."
        ),
        "restriction": (
            "Hemos limitado el tratamiento de sus datos personales tal como nos pidió: ahora "
            "solo los conservamos."
        ),
        "fee_reason": (
            "Su solicitud es manifiestamente infundada o excesiva, en particular por su carácter "
            "repetitivo."
        ),
        "opt_out": (
            "Hemos eliminado sus datos de contacto de todas nuestras comunicaciones comerciales."
        ),
        "opt_out_sale_ca": (
            "Hemos dejado de vender y de compartir su información personal, y hemos pedido a "
            "los terceros a los que la vendimos o compartimos después de su solicitud que "
            "también dejen de hacerlo."
        ),
        "opt_out_sale": "Hemos dejado de vender su información personal.",
        "opt_out_targeted_ads": (
            "Ya no utilizamos ni comunicamos su información personal para mostrarle publicidad "
            "basada en su actividad en sitios web y aplicaciones de otras empresas."
        ),
        "opt_out_profiling": (
            "Ya no utilizamos su información personal para elaborar perfiles que lleven a "
            "decisiones con efectos jurídicos o efectos igualmente significativos para usted."
        ),
        "limit_sensitive": (
            "Ahora solo utilizamos y comunicamos su información personal sensible en la medida "
            "necesaria para prestarle los bienes y servicios que nos pide, y para los demás "
            "fines que permite la ley."
        ),
        "appeal_granted": (
            "Atenderemos su solicitud {reference} tal como nos pidió y le escribiremos cuando "
            "lo hayamos hecho."
        ),
        "verification": (
            "Para proteger su información personal, primero confirmaremos que la solicitud "
            "procede de usted: cotejaremos los datos que nos facilite (como su nombre, su "
            "dirección de correo electrónico y su dirección postal) con la información que ya "
            "tenemos sobre usted. Si necesitamos algo más, le escribiremos para indicarle "
            "exactamente qué necesitamos; solo lo utilizaremos para verificar su solicitud. Una "
            "vez verificada la solicitud, buscaremos en nuestros sistemas y le responderemos por "
            "escrito."
        ),
        "deletion_method": (
            "Hemos borrado de forma permanente y completa su información personal de nuestros "
            "sistemas y hemos pedido a nuestros proveedores de servicios y contratistas que la "
            "borren de sus registros."
        ),
        "policy_says": "Nuestra política de privacidad dice: “{clause}”",
    },
    "de": {
        "identity_details": (
            "Bitte bestätigen Sie Ihre Identität, indem Sie uns von der E-Mail-Adresse antworten, "
            "die Sie für Ihren Antrag verwendet haben, oder indem Sie uns die Kopie eines "
            "Dokuments senden, aus dem Ihr Name und Ihre Postanschrift hervorgehen. Alle übrigen "
            "Angaben darauf können Sie schwärzen."
        ),
        "enclosure": (
            "Eine Kopie Ihrer personenbezogenen Daten erhalten Sie als ZIP-Datei (mit JSON- und "
            "CSV-Dateien sowie diesem Schreiben), die Sie über einen sicheren Link herunterladen "
            "können, den wir Ihnen gesondert senden. Der Link ist {days} Tage lang gültig."
        ),
        "automated_decisions": (
            "Wir treffen keine ausschließlich auf einer automatisierten Verarbeitung, "
            "einschließlich Profiling, beruhenden Entscheidungen über Sie, die Ihnen gegenüber "
            "rechtliche Wirkung entfalten oder Sie in ähnlicher Weise erheblich beeinträchtigen."
        ),
        "rectification": (
            "Wir haben Ihre personenbezogenen Daten wie von Ihnen gewünscht berichtigt."
        ),
        "erasure": (
            "Wir haben die personenbezogenen Daten, die wir über Sie gespeichert hatten, gelöscht, "
            "soweit nachstehend nichts anderes angegeben ist."
        ),
        "restriction": (
            "Wir haben die Verarbeitung Ihrer personenbezogenen Daten wie von Ihnen gewünscht "
            "eingeschränkt: Wir speichern sie nur noch."
        ),
        "fee_reason": (
            "Ihr Antrag ist offenkundig unbegründet oder, insbesondere im Fall häufiger "
            "Wiederholung, exzessiv."
        ),
        "opt_out": "Wir haben Ihre Kontaktdaten aus allen unseren Werbeverteilern entfernt.",
        "opt_out_sale_ca": (
            "Wir verkaufen Ihre personenbezogenen Daten nicht mehr und geben sie nicht mehr "
            "weiter, und wir haben die Dritten, an die wir sie nach Ihrem Antrag verkauft oder "
            "weitergegeben haben, aufgefordert, dies ebenfalls zu unterlassen."
        ),
        "opt_out_sale": "Wir verkaufen Ihre personenbezogenen Daten nicht mehr.",
        "opt_out_targeted_ads": (
            "Wir verwenden Ihre personenbezogenen Daten nicht mehr für Werbung, die auf Ihrer "
            "Aktivität auf Websites und in Apps anderer Unternehmen beruht, und geben sie dafür "
            "auch nicht mehr weiter."
        ),
        "opt_out_profiling": (
            "Wir verwenden Ihre personenbezogenen Daten nicht mehr für Profiling, das zu "
            "Entscheidungen mit rechtlicher oder ähnlich erheblicher Wirkung für Sie führt."
        ),
        "limit_sensitive": (
            "Wir verwenden und übermitteln Ihre sensiblen personenbezogenen Daten nur noch, "
            "soweit dies erforderlich ist, um die von Ihnen angeforderten Waren und "
            "Dienstleistungen zu erbringen, sowie für die übrigen gesetzlich zulässigen Zwecke."
        ),
        "appeal_granted": (
            "Wir werden Ihren Antrag {reference} nun wie von Ihnen gewünscht bearbeiten und "
            "Ihnen schreiben, sobald dies geschehen ist."
        ),
        "verification": (
            "Zum Schutz Ihrer personenbezogenen Daten prüfen wir zunächst, ob der Antrag von "
            "Ihnen stammt: Wir gleichen Ihre Angaben (etwa Ihren Namen, Ihre E-Mail-Adresse und "
            "Ihre Postanschrift) mit den Daten ab, die uns bereits über Sie vorliegen. Benötigen "
            "wir weitere Angaben, schreiben wir Ihnen und teilen Ihnen genau mit, was wir "
            "benötigen; wir verwenden diese Angaben ausschließlich zur Prüfung Ihres Antrags. "
            "Sobald Ihr Antrag geprüft ist, durchsuchen wir unsere Systeme und antworten Ihnen "
            "schriftlich."
        ),
        "deletion_method": (
            "Wir haben Ihre personenbezogenen Daten dauerhaft und vollständig aus unseren "
            "bestehenden Systemen gelöscht und unsere Dienstleister und Auftragnehmer angewiesen, "
            "sie aus ihren Unterlagen zu löschen."
        ),
        "policy_says": "In unserer Datenschutzerklärung heißt es: „{clause}“",
    },
    "fr": {
        "identity_details": (
            "Nous vous remercions de confirmer votre identité en nous répondant depuis l'adresse "
            "électronique utilisée pour votre demande, ou en nous adressant la copie d'un "
            "document faisant apparaître vos nom et adresse postale. Vous pouvez occulter toutes "
            "les autres mentions de ce document."
        ),
        "enclosure": (
            "Une copie de vos données personnelles figure dans un fichier ZIP (fichiers JSON et "
            "CSV, accompagnés du présent courrier), que vous pouvez télécharger au moyen d'un "
            "lien sécurisé que nous vous adressons séparément. Ce lien fonctionne pendant "
            "{days}\u00a0jours."
        ),
        "automated_decisions": (
            "Nous ne prenons à votre égard aucune décision fondée exclusivement sur un "
            "traitement automatisé, y compris le profilage, produisant des effets juridiques "
            "vous concernant ou vous affectant de manière significative de façon similaire."
        ),
        "rectification": "Nous avons rectifié vos données personnelles comme vous l'avez demandé.",
        "erasure": (
            "Nous avons effacé les données personnelles vous concernant que nous détenions, sous "
            "réserve de ce qui est indiqué ci-dessous."
        ),
        "restriction": (
            "Nous avons limité le traitement de vos données personnelles comme vous l'avez "
            "demandé\u00a0: nous nous bornons désormais à les conserver."
        ),
        "fee_reason": (
            "Votre demande est manifestement infondée ou excessive, notamment en raison de son "
            "caractère répétitif."
        ),
        "opt_out": (
            "Nous avons retiré vos coordonnées de l'ensemble de nos communications de prospection "
            "commerciale."
        ),
        "opt_out_sale_ca": (
            "Nous avons cessé de vendre et de partager vos informations personnelles, et nous "
            "avons demandé aux tiers auxquels nous les avons vendues ou avec lesquels nous les "
            "avons partagées après votre demande de cesser également de le faire."
        ),
        "opt_out_sale": "Nous avons cessé de vendre vos informations personnelles.",
        "opt_out_targeted_ads": (
            "Nous n'utilisons et ne communiquons plus vos informations personnelles à des fins de "
            "publicité fondée sur votre activité sur les sites web et applications d'autres "
            "entreprises."
        ),
        "opt_out_profiling": (
            "Nous n'utilisons plus vos informations personnelles à des fins de profilage en vue "
            "de décisions produisant des effets juridiques ou des effets significatifs similaires "
            "vous concernant."
        ),
        "limit_sensitive": (
            "Nous n'utilisons et ne communiquons désormais vos informations personnelles "
            "sensibles que dans la mesure nécessaire pour vous fournir les biens et services que "
            "vous nous demandez, ainsi qu'aux autres fins autorisées par la loi."
        ),
        "appeal_granted": (
            "Nous allons désormais donner suite à votre demande {reference} comme vous l'avez "
            "demandé, et nous vous écrirons une fois cette démarche accomplie."
        ),
        "verification": (
            "Afin de protéger vos informations personnelles, nous vérifierons d'abord que la "
            "demande émane bien de vous\u00a0: nous rapprocherons les informations que vous nous "
            "communiquez (telles que vos nom, adresse électronique et adresse postale) de celles "
            "que nous détenons déjà à votre sujet. S'il nous faut davantage d'éléments, nous vous "
            "écrirons en vous indiquant précisément ce dont nous avons besoin\u00a0; nous ne les "
            "utiliserons que pour vérifier votre demande. Une fois votre demande vérifiée, nous "
            "effectuerons les recherches nécessaires dans nos systèmes et vous répondrons par "
            "écrit."
        ),
        "deletion_method": (
            "Nous avons supprimé de manière définitive et complète vos informations personnelles "
            "de nos systèmes existants, et avons demandé à nos prestataires de services et "
            "sous-traitants de les supprimer de leurs fichiers."
        ),
        "policy_says": "Notre politique de confidentialité indique\u00a0: «\u00a0{clause}\u00a0»",
    },
    # Brazilian Portuguese: formal and impersonal, LGPD's words where they fit (titular,
    # eliminação, correção), "informações pessoais" where a US law says "personal information".
    "pt-br": {
        "identity_details": (
            "Solicitamos que confirme sua identidade respondendo a partir do endereço de e-mail "
            "utilizado na solicitação ou enviando-nos uma cópia de um documento que contenha seu "
            "nome e seu endereço postal. Todos os demais dados do documento podem ser ocultados."
        ),
        "enclosure": (
            "Uma cópia dos seus dados pessoais encontra-se em um arquivo ZIP (arquivos JSON e "
            "CSV, acompanhados desta carta), que pode ser baixado por meio de um link seguro "
            "enviado separadamente. O link é válido por {days} dias."
        ),
        "automated_decisions": (
            "Não tomamos decisões a seu respeito baseadas unicamente em tratamento automatizado, "
            "incluindo a definição de perfis, que produzam efeitos jurídicos que lhe digam "
            "respeito ou que o(a) afetem significativamente de forma similar."
        ),
        "rectification": "Corrigimos seus dados pessoais conforme solicitado.",
        "erasure": (
            "Eliminamos os dados pessoais que mantínhamos a seu respeito, ressalvado o disposto "
            "abaixo."
        ),
        "restriction": (
            "Limitamos o tratamento dos seus dados pessoais conforme solicitado: a partir de "
            "agora, apenas os armazenamos."
        ),
        "fee_reason": (
            "Sua solicitação é manifestamente infundada ou excessiva, em especial devido ao seu "
            "caráter repetitivo."
        ),
        "opt_out": (
            "Removemos seus dados de contato de todas as nossas comunicações de marketing."
        ),
        "opt_out_sale_ca": (
            "Deixamos de vender e de compartilhar suas informações pessoais e solicitamos aos "
            "terceiros a quem as vendemos ou com quem as compartilhamos após a sua solicitação "
            "que também deixem de fazê-lo."
        ),
        "opt_out_sale": "Deixamos de vender suas informações pessoais.",
        "opt_out_targeted_ads": (
            "Não utilizamos nem divulgamos mais suas informações pessoais para publicidade "
            "baseada na sua atividade em sites e aplicativos de outras empresas."
        ),
        "opt_out_profiling": (
            "Não utilizamos mais suas informações pessoais para a criação de perfis que levem a "
            "decisões com efeitos jurídicos ou efeitos igualmente significativos a seu respeito."
        ),
        "limit_sensitive": (
            "A partir de agora, utilizamos e divulgamos suas informações pessoais sensíveis "
            "apenas na medida necessária para fornecer os bens e serviços solicitados e para as "
            "demais finalidades permitidas por lei."
        ),
        "appeal_granted": (
            "Atenderemos à sua solicitação {reference} conforme pedido e lhe escreveremos quando "
            "isso tiver sido feito."
        ),
        "verification": (
            "Para proteger suas informações pessoais, confirmaremos primeiro que a solicitação "
            "foi feita pelo(a) próprio(a) titular: compararemos as informações fornecidas (como "
            "nome, endereço de e-mail e endereço postal) com as informações que já mantemos a "
            "seu respeito. Caso precisemos de algo mais, entraremos em contato e indicaremos "
            "exatamente o que é necessário; essas informações serão usadas apenas para verificar "
            "a solicitação. Uma vez verificada a solicitação, faremos a busca em nossos sistemas "
            "e enviaremos uma resposta por escrito."
        ),
        "deletion_method": (
            "Eliminamos de forma permanente e completa suas informações pessoais de nossos "
            "sistemas e instruímos nossos prestadores de serviços e contratados a eliminá-las de "
            "seus registros."
        ),
        "policy_says": "Nossa política de privacidade dispõe: “{clause}”",
    },
}


def wording(language: str, key: str, **values: object) -> str:
    """The default text ``key`` in ``language`` (a letter language), with ``values`` filled in."""
    return DEFAULTS[language][key].format(**values)
