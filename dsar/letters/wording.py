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
