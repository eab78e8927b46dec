# ruff: noqa: E501 - a msgid is one line, as makemessages writes it
"""Spanish for the public side: msgid → msgstr, merged into dsar/locale/es by ``fill_po.py``.

Kept as Python so that a reviewer reads each pair side by side, and a later ``makemessages`` can
be refilled without retyping. The tone is formal ("usted"), as in official Spanish forms.
"""

ES: dict[str, str] = {
    # templates/base.html (shown on every public page)
    "Skip to content": "Saltar al contenido",
    "English": "Inglés",
    "Spanish": "Español",
    # Rights and channels (dsar/policies/models.py), as the form names them
    "access": "acceso",
    "rectification": "rectificación",
    "erasure": "supresión",
    "restriction of processing": "limitación del tratamiento",
    "objection": "oposición",
    "data portability": "portabilidad de los datos",
    "withdrawal of consent": "retirada del consentimiento",
    "marketing opt-out": "baja de las comunicaciones comerciales",
    "direct-marketing disclosures (Cal. Civ. 1798.83)": (
        "cesiones para marketing directo (Código Civil de California 1798.83)"
    ),
    "minor's content removal (Cal. B&P 22581)": (
        "retirada de contenido publicado por un menor (Cal. B&P 22581)"
    ),
    "removal from public areas": "retirada de las zonas públicas",
    "account closure": "cierre de la cuenta",
    "retention periods on request": "plazos de conservación, a petición",
    "complaint": "reclamación",
    "removal of lost or stolen credentials": "retirada de credenciales perdidas o robadas",
    "email": "correo electrónico",
    "postal mail": "correo postal",
    "certified mail": "correo certificado",
    "telephone": "teléfono",
    "fax": "fax",
    "web form": "formulario web",
    "self-service (account page)": "autoservicio (página de su cuenta)",
    # dsar/intake/apps.py, admin.py, models.py
    "Public intake": "Recepción pública",
    "authorization": "autorización",
    "agent's authorization": "autorización del representante",
    "Download": "Descargar",
    "request": "solicitud",
    "details for the right": "datos para el derecho",
    "confirmation link last sent at": "último enlace de confirmación enviado el",
    "confirmation links sent": "enlaces de confirmación enviados",
    "email confirmed at": "correo confirmado el",
    "When the requester followed the link sent to their email address.": (
        "Cuándo siguió el solicitante el enlace enviado a su correo."
    ),
    "authorization type": "tipo de la autorización",
    "What the right needs, as the requester gave it: for rectification what is wrong and what is right; for Cal. B&P 22581 a description of the content; for portability the format and the recipient.": (
        "Lo que el derecho necesita, tal como lo dio el solicitante: en la rectificación, qué es "
        "incorrecto y qué es correcto; en Cal. B&P 22581, una descripción del contenido; en la "
        "portabilidad, el formato y el destinatario."
    ),
    "Path under PRIVATE_STORAGE_ROOT of the signed authorization an agent sent.": (
        "Ruta bajo PRIVATE_STORAGE_ROOT de la autorización firmada que envió un representante."
    ),
    "When close_unverified() closed the request and sent the notice.": (
        "Cuándo close_unverified() cerró la solicitud y envió el aviso."
    ),
    "SHA-256.": "SHA-256.",
    "Path under PRIVATE_STORAGE_ROOT.": "Ruta bajo PRIVATE_STORAGE_ROOT.",
    "SHA-256": "SHA-256",
    "Set when a file released by mistake is taken back; it is no longer served.": (
        "Se fija cuando se retira un archivo publicado por error; ya no se sirve."
    ),
    "Unix time // window length.": "Tiempo Unix // duración de la ventana.",
    "authorization size": "tamaño de la autorización",
    "authorization SHA-256": "SHA-256 de la autorización",
    "closed unconfirmed at": "cerrada sin confirmar el",
    "submitted at": "enviada el",
    "web-form submission": "envío del formulario web",
    "web-form submissions": "envíos del formulario web",
    "submission": "envío",
    "token hash": "hash del token",
    "made at": "creado el",
    "last used at": "último uso el",
    "revoked at": "revocado el",
    "A revoked link opens nothing.": "Un enlace revocado no abre nada.",
    "status link": "enlace de seguimiento",
    "status links": "enlaces de seguimiento",
    "letter": "carta",
    "copy of your data": "copia de sus datos",
    "document": "documento",
    "kind": "tipo",
    "title": "título",
    "Shown to the requester on the status page.": (
        "Se muestra al solicitante en la página de seguimiento."
    ),
    "download name": "nombre de descarga",
    "The file name the requester's browser saves.": (
        "El nombre con el que el navegador del solicitante guarda el archivo."
    ),
    "path": "ruta",
    "content type": "tipo de contenido",
    "size in bytes": "tamaño en bytes",
    "released at": "publicado el",
    "released by": "publicado por",
    "withdrawn at": "retirado el",
    "released file": "archivo publicado",
    "released files": "archivos publicados",
    "scope": "ámbito",
    "key": "clave",
    "window": "ventana",
    "count": "recuento",
    "expires at": "caduca el",
    "rate-limit counter": "contador de límite de envíos",
    "rate-limit counters": "contadores de límite de envíos",
    # dsar/intake/forms.py
    "Choose the right you want to use.": "Elija el derecho que quiere ejercer.",
    "Enter your full name.": "Escriba su nombre completo.",
    "Enter your email address: we send the confirmation link to it.": (
        "Escriba su dirección de correo electrónico: le enviamos a ella el enlace de confirmación."
    ),
    "Enter an email address like name@example.com.": (
        "Escriba una dirección de correo como nombre@example.com."
    ),
    "Say where you live.": "Indique dónde vive.",
    "Say whether you ask for yourself or for someone else.": (
        "Indique si hace la solicitud para usted o para otra persona."
    ),
    "Enter the full name of the person you act for.": (
        "Escriba el nombre completo de la persona a la que representa."
    ),
    "Attach the signed authorization of the person you act for.": (
        "Adjunte la autorización firmada de la persona a la que representa."
    ),
    "The authorization must be a PDF, PNG or JPEG file.": (
        "La autorización debe ser un archivo PDF, PNG o JPEG."
    ),
    "The authorization must be at most %(limit)s; this file is larger.": (
        "La autorización puede ocupar como máximo %(limit)s; este archivo es mayor."
    ),
    "The file is empty.": "El archivo está vacío.",
    "Say which information about you is wrong.": "Indique qué información sobre usted es incorrecta.",
    "Say what the information should be.": "Indique cuál debe ser la información correcta.",
    "Describe the content you want removed.": "Describa el contenido que quiere que se retire.",
    "Choose the format you want your data in.": "Elija el formato en el que quiere sus datos.",
    "Say who should receive your data.": "Indique quién debe recibir sus datos.",
    "Give the name and address of the organization to send it to.": (
        "Indique el nombre y la dirección de la organización a la que enviarlos."
    ),
    "JSON": "JSON",
    "CSV (a spreadsheet)": "CSV (una hoja de cálculo)",
    "XML": "XML",
    "Any structured, commonly used, machine-readable format": (
        "Cualquier formato estructurado, de uso común y de lectura mecánica"
    ),
    "Me": "A mí",
    "Another organization I choose": "A otra organización que yo elija",
    "For myself": "Para mí",
    "For someone else, as their authorized agent": (
        "Para otra persona, como su representante autorizado"
    ),
    "Which right do you want to use?": "¿Qué derecho quiere ejercer?",
    "Your full name": "Su nombre completo",
    "Your email address": "Su dirección de correo electrónico",
    "We send a link to it: you confirm your request by following that link.": (
        "Le enviaremos un enlace: confirmará su solicitud al seguirlo."
    ),
    "Where do you live?": "¿Dónde vive?",
    "The law of the place where you live can give you more rights and a deadline.": (
        "La ley del lugar donde vive puede darle más derechos y un plazo de respuesta."
    ),
    "Who is this request for?": "¿Para quién es esta solicitud?",
    "Full name of the person you act for": "Nombre completo de la persona a la que representa",
    "Their signed authorization": "Su autorización firmada",
    "A PDF, PNG or JPEG file of at most %(limit)s, signed by the person you act for.": (
        "Un archivo PDF, PNG o JPEG de %(limit)s como máximo, firmado por la persona a la que "
        "representa."
    ),
    "What information about you is wrong?": "¿Qué información sobre usted es incorrecta?",
    "What should it say instead?": "¿Qué debería decir en su lugar?",
    "Describe the content you want removed": "Describa el contenido que quiere que se retire",
    "Where it is (the page or address), what it says or shows, and when you posted it.": (
        "Dónde está (la página o dirección), qué dice o muestra y cuándo lo publicó."
    ),
    "In which format do you want your data?": "¿En qué formato quiere sus datos?",
    "Who should receive it?": "¿Quién debe recibirlos?",
    "Name and address of the organization that should receive it": (
        "Nombre y dirección de la organización que debe recibirlos"
    ),
    "Its name, and its email or postal address.": (
        "Su nombre y su dirección de correo electrónico o postal."
    ),
    "Anything else we should know?": "¿Hay algo más que debamos saber?",
    "For example the account or customer number you used, or what you are asking about.": (
        "Por ejemplo, el número de cuenta o de cliente que usó, o sobre qué pregunta."
    ),
    "Leave this field empty": "Deje este campo vacío",
    "The address you gave on the request form.": "La dirección que indicó en el formulario.",
    # dsar/intake/selectors.py
    "In the European Union, Iceland, Liechtenstein or Norway (EU/EEA)": (
        "En la Unión Europea, Islandia, Liechtenstein o Noruega (UE/EEE)"
    ),
    "In the United Kingdom": "En el Reino Unido",
    "In California": "En California",
    "In another US state": "En otro estado de EE. UU.",
    "Elsewhere": "En otro lugar",
    "EU/EEA": "UE/EEE",
    "United Kingdom": "Reino Unido",
    "California": "California",
    "another US state": "otro estado de EE. UU.",
    "elsewhere": "otro lugar",
    "one month (GDPR)": "un mes (RGPD)",
    "45 days (California Consumer Privacy Act)": (
        "45 días (Ley de Privacidad del Consumidor de California)"
    ),
    "15 business days (California Consumer Privacy Act)": (
        "15 días hábiles (Ley de Privacidad del Consumidor de California)"
    ),
    "30 days (California Civil Code 1798.83)": "30 días (Código Civil de California 1798.83)",
    "at most 150 days (California Civil Code 1798.83)": (
        "150 días como máximo (Código Civil de California 1798.83)"
    ),
    "10 business days (CAN-SPAM Act)": "10 días hábiles (Ley CAN-SPAM)",
    "45 days (state privacy law)": "45 días (ley estatal de privacidad)",
    "15 days (LGPD)": "15 días (LGPD)",
    "30 days (PIPEDA)": "30 días (PIPEDA)",
    "Received": "Recibida",
    "Waiting for you to confirm your email address": "Pendiente de que confirme su correo",
    "Being worked on": "En tramitación",
    "Waiting for information from you": "Pendiente de información suya",
    "Answered": "Respondida",
    "Partly answered": "Respondida en parte",
    "Refused": "Denegada",
    "Withdrawn": "Retirada",
    "Closed: your email address was not confirmed": "Cerrada: no se confirmó su correo",
    "Closed: the same as an earlier request": "Cerrada: igual que una solicitud anterior",
    "We need to confirm who you are. We have written to you about it.": (
        "Necesitamos confirmar su identidad. Le hemos escrito sobre ello."
    ),
    "We need you to tell us more. We have written to you about it.": (
        "Necesitamos que nos dé más información. Le hemos escrito sobre ello."
    ),
    "The organization asks for a fee. We have written to you about it.": (
        "La organización pide un pago. Le hemos escrito sobre ello."
    ),
    # dsar/intake/services.py, jobs.py (what staff read in the trail, in their language)
    "The requester did not confirm their email address within %(days)d days.": (
        "El solicitante no confirmó su correo en %(days)d días."
    ),
    "A request that is %(current)s cannot wait for verification.": (
        "Una solicitud en estado «%(current)s» no puede quedar pendiente de verificación."
    ),
    "Sent through the web form: waiting for the requester to confirm their email address": (
        "Enviada por el formulario web: pendiente de que el solicitante confirme su correo"
    ),
    "Confirmation link emailed to the address given on the web form.": (
        "Enlace de confirmación enviado a la dirección indicada en el formulario web."
    ),
    "email confirmation link": "enlace de confirmación por correo",
    "This request no longer waits for a confirmation.": (
        "Esta solicitud ya no está pendiente de confirmación."
    ),
    "Released to the requester: %(title)s (%(sha)s)": (
        "Puesto a disposición del solicitante: %(title)s (%(sha)s)"
    ),
    # templates/intake
    "free": "gratuito",
    "free, unless the request is clearly unfounded or excessive (then a reasonable fee, or a refusal)": (
        "gratuito, salvo que la solicitud sea manifiestamente infundada o excesiva (en ese caso, "
        "un canon razonable o la denegación)"
    ),
    "free, unless it would take a disproportionate effort": (
        "gratuito, salvo que suponga un esfuerzo desproporcionado"
    ),
    "the policy does not say": "la política no lo indica",
    "Right": "Derecho",
    "Reasons": "Motivos",
    "extended": "prorrogado",
    "(optional)": "(opcional)",
    "Error:": "Error:",
    "Language": "Idioma",
    "Change language": "Cambiar idioma",
    "This service receives privacy requests for %(name)s. It uses one cookie to remember your language and one to protect the form; none to follow you.": (
        "Este servicio recibe las solicitudes de privacidad de %(name)s. Usa una cookie para "
        "recordar su idioma y otra para proteger el formulario; ninguna para seguirle."
    ),
    "There is a problem": "Hay un problema",
    "We have received too many requests from your network or for this email address. Please try again in an hour. Nothing you typed was lost.": (
        "Hemos recibido demasiadas solicitudes desde su red o para esta dirección de correo. "
        "Inténtelo de nuevo dentro de una hora. No se ha perdido nada de lo que escribió."
    ),
    "by %(due)s, %(rule)s": "antes del %(due)s, %(rule)s",
    "(if you confirm your email address today: the time counts from that day)": (
        "(si confirma su correo hoy: el plazo cuenta desde ese día)"
    ),
    "no law sets a deadline": "ninguna ley fija un plazo",
    "the policy promises:": "la política promete:",
    "Make a privacy request": "Hacer una solicitud de privacidad",
    "Make a privacy request to %(name)s": "Hacer una solicitud de privacidad a %(name)s",
    "Use this form to ask %(name)s to use one of the rights its privacy policy gives you. We then email you a link: your request counts once you follow it.": (
        "Use este formulario para ejercer ante %(name)s uno de los derechos que le da su política "
        "de privacidad. Después le enviaremos un enlace por correo: su solicitud cuenta en cuanto "
        "lo siga."
    ),
    "1. Which right do you want to use?": "1. ¿Qué derecho quiere ejercer?",
    "These are the rights the privacy policy in force gives you. Each one quotes what the policy says.": (
        "Estos son los derechos que le da la política de privacidad vigente. Cada uno cita lo que "
        "dice la política (en su idioma original)."
    ),
    "Cost:": "Coste:",
    "Answer expected:": "Respuesta prevista:",
    "What the policy says, and other ways to ask": "Qué dice la política y otras formas de pedirlo",
    "What you must provide:": "Lo que debe aportar:",
    "On checking who you are:": "Sobre la comprobación de su identidad:",
    "On fees:": "Sobre los costes:",
    "On time:": "Sobre los plazos:",
    "You can also use this right by:": "También puede ejercer este derecho por:",
    "The privacy policy in force promises no right that can be requested here.": (
        "La política de privacidad vigente no promete ningún derecho que pueda pedirse aquí."
    ),
    "2. About you": "2. Sus datos",
    "Only if you act for someone else:": "Solo si actúa en nombre de otra persona:",
    "We kept the file you attached, %(name)s (%(size)s). Attach another one only to replace it.": (
        "Hemos guardado el archivo que adjuntó, %(name)s (%(size)s). Adjunte otro solo si quiere "
        "sustituirlo."
    ),
    "3. Your request": "3. Su solicitud",
    "If you ask for a correction": "Si pide una rectificación",
    "If you ask to remove content you posted as a minor": (
        "Si pide retirar contenido que publicó siendo menor"
    ),
    "If you ask for a copy of your data to take elsewhere": (
        "Si pide una copia de sus datos para llevarlos a otro lugar"
    ),
    "%(name)s uses what you send only to answer your request.": (
        "%(name)s usa lo que envíe solo para responder a su solicitud."
    ),
    "Send request": "Enviar solicitud",
    "Prefer not to use this form?": "¿Prefiere no usar este formulario?",
    "The privacy policy of %(name)s gives these ways to reach it:": (
        "La política de privacidad de %(name)s indica estas formas de contacto:"
    ),
    "No request form yet": "Todavía no hay formulario",
    "%(name)s has no privacy policy on file here yet, so this form cannot offer any right.": (
        "%(name)s aún no tiene aquí ninguna política de privacidad, así que este formulario no "
        "puede ofrecer ningún derecho."
    ),
    "Check your email": "Revise su correo",
    "Your request's reference is": "La referencia de su solicitud es",
    "We sent a link to the email address you gave. Follow it within %(hours)s hours to confirm your request: nothing happens until you do. The email also says how to follow your request.": (
        "Hemos enviado un enlace a la dirección de correo que indicó. Sígalo en un plazo de "
        "%(hours)s horas para confirmar su solicitud: no se hará nada hasta entonces. El correo "
        "también explica cómo seguir su solicitud."
    ),
    "When to expect an answer": "Cuándo esperar una respuesta",
    "%(name)s must answer by <strong>%(due)s</strong>.": (
        "%(name)s debe responder antes del <strong>%(due)s</strong>."
    ),
    "This date assumes you confirm your email address today: the time counts from the day you confirm.": (
        "Esta fecha supone que confirma su correo hoy: el plazo cuenta desde el día en que lo "
        "confirme."
    ),
    "No law sets a deadline for this request. The privacy policy promises:": (
        "Ninguna ley fija un plazo para esta solicitud. La política de privacidad promete:"
    ),
    "No law sets a deadline for this request, and the privacy policy gives no time.": (
        "Ninguna ley fija un plazo para esta solicitud, y la política de privacidad no indica "
        "ninguno."
    ),
    "No email?": "¿No le ha llegado el correo?",
    "Look in your spam folder. If it is not there, we can send it again.": (
        "Mire en su carpeta de correo no deseado. Si no está allí, podemos enviarlo de nuevo."
    ),
    "Send the link again": "Enviar el enlace de nuevo",
    "Thank you": "Gracias",
    "If you gave a valid email address, we sent you a link: follow it to confirm your request.": (
        "Si indicó una dirección de correo válida, le hemos enviado un enlace: sígalo para "
        "confirmar su solicitud."
    ),
    "Get a new link": "Obtener un enlace nuevo",
    "Give the email address of your request. If you have not confirmed it yet, we send a new confirmation link; if you have, a new link to its status page.": (
        "Indique la dirección de correo de su solicitud. Si aún no la ha confirmado, le enviaremos "
        "un nuevo enlace de confirmación; si ya lo ha hecho, un nuevo enlace a su página de "
        "seguimiento."
    ),
    "Send me a new link": "Enviarme un enlace nuevo",
    "If that address has an open request with us, we have sent it a new link. It can take a few minutes to arrive.": (
        "Si esa dirección tiene una solicitud abierta con nosotros, le hemos enviado un enlace "
        "nuevo. Puede tardar unos minutos en llegar."
    ),
    "Confirm your request": "Confirme su solicitud",
    "You are about to confirm request <strong>%(ref)s</strong> to %(name)s (%(right)s).": (
        "Va a confirmar la solicitud <strong>%(ref)s</strong> a %(name)s (%(right)s)."
    ),
    "Confirm my request": "Confirmar mi solicitud",
    "If you did not make this request, close this page: without your confirmation nothing happens, and the request is closed.": (
        "Si usted no hizo esta solicitud, cierre esta página: sin su confirmación no se hará nada "
        "y la solicitud se cerrará."
    ),
    "This link no longer works": "Este enlace ya no funciona",
    "Your request is already confirmed. The email we sent when you confirmed it has the link to its status page.": (
        "Su solicitud ya está confirmada. El correo que le enviamos al confirmarla tiene el enlace "
        "a su página de seguimiento."
    ),
    "The link has expired, was already used, or was not copied whole.": (
        "El enlace ha caducado, ya se usó o no se copió completo."
    ),
    "Request %(ref)s": "Solicitud %(ref)s",
    "Your request %(ref)s": "Su solicitud %(ref)s",
    "Status": "Estado",
    "What we need": "Lo que necesitamos",
    "Received on": "Recibida el",
    "Email address confirmed on": "Correo confirmado el",
    "Answer due by": "Respuesta antes del",
    "no legal deadline": "sin plazo legal",
    "Closed on": "Cerrada el",
    "Letters and files": "Cartas y archivos",
    "Each download link works for %(minutes)s minutes; open this page again for new ones.": (
        "Cada enlace de descarga funciona durante %(minutes)s minutos; vuelva a abrir esta página "
        "para obtener otros nuevos."
    ),
    "Nothing yet. We will email you when there is a letter or file for you here.": (
        "Todavía nada. Le escribiremos cuando haya aquí una carta o un archivo para usted."
    ),
    "Keep the link to this page private: anyone who has it can see this page.": (
        "No comparta el enlace a esta página: cualquiera que lo tenga puede verla."
    ),
    "Page not found": "Página no encontrada",
    "This status link is not valid. Check that you copied the whole link from the email.": (
        "Este enlace de seguimiento no es válido. Compruebe que copió el enlace completo del correo."
    ),
    "This download link has expired": "Este enlace de descarga ha caducado",
    "Download links work for a short time only. Open your status page again from the link in our email to get a new one.": (
        "Los enlaces de descarga solo funcionan durante poco tiempo. Vuelva a abrir su página de "
        "seguimiento desde el enlace de nuestro correo para obtener uno nuevo."
    ),
    # templates/emails/intake_*
    "Confirm your request %(ref)s to %(name)s": "Confirme su solicitud %(ref)s a %(name)s",
    "Confirm your request %(ref)s": "Confirme su solicitud %(ref)s",
    "We received a privacy request to %(name)s sent with this email address.": (
        "Hemos recibido una solicitud de privacidad a %(name)s enviada con esta dirección de "
        "correo."
    ),
    "Reference:": "Referencia:",
    "Right:": "Derecho:",
    "To confirm it, follow this link within %(hours)s hours:": (
        "Para confirmarla, siga este enlace en un plazo de %(hours)s horas:"
    ),
    "The link works for %(hours)s hours.": "El enlace funciona durante %(hours)s horas.",
    "If you did not make this request, ignore this email: without your confirmation nothing happens, and the request is closed.": (
        "Si usted no hizo esta solicitud, ignore este correo: sin su confirmación no se hará nada "
        "y la solicitud se cerrará."
    ),
    "%(name)s must answer by %(due)s.": "%(name)s debe responder antes del %(due)s.",
    "Your request %(ref)s is confirmed": "Su solicitud %(ref)s está confirmada",
    "Thank you: your request %(ref)s to %(name)s is confirmed.": (
        "Gracias: su solicitud %(ref)s a %(name)s está confirmada."
    ),
    "Follow your request, and download the letters and files released to you, on this page:": (
        "Siga su solicitud y descargue las cartas y archivos que se le envíen en esta página:"
    ),
    "Follow your request": "Seguir su solicitud",
    "Keep this link private: anyone who has it can see the page.": (
        "No comparta este enlace: cualquiera que lo tenga puede ver la página."
    ),
    "The link to your request %(ref)s": "El enlace a su solicitud %(ref)s",
    "You asked for a new link to your request %(ref)s to %(name)s. Here it is:": (
        "Ha pedido un nuevo enlace a su solicitud %(ref)s a %(name)s. Aquí lo tiene:"
    ),
    "A document is ready for your request %(ref)s": (
        "Hay un documento disponible para su solicitud %(ref)s"
    ),
    '%(name)s released "%(title)s" for your request %(ref)s. Download it from your request\'s page:': (
        "%(name)s ha puesto a su disposición «%(title)s» para su solicitud %(ref)s. Descárguelo "
        "desde la página de su solicitud:"
    ),
    # The status page: letters and data packages of dsar.letters
    "Letter %(ref)s: %(kind)s": "Carta %(ref)s: %(kind)s",
    "ZIP file": "archivo ZIP",
    "available until %(day)s": "disponible hasta el %(day)s",
    # dsar/letters/kinds.py, as the status page names a letter
    "acknowledgement of receipt": "acuse de recibo",
    "request for identity verification or clarification": (
        "solicitud de verificación de identidad o de aclaración"
    ),
    "extension notice": "aviso de prórroga",
    "access response": "respuesta de acceso",
    "rectification confirmation": "confirmación de la rectificación",
    "erasure confirmation": "confirmación de la supresión",
    "restriction confirmation": "confirmación de la limitación",
    "data portability cover letter": "carta de acompañamiento de la portabilidad",
    "refusal": "denegación",
    "fee notice": "aviso de tasa",
    "Cal. Civ. Code 1798.83 disclosure letter": (
        "carta de información del Código Civil de California 1798.83"
    ),
    "opt-out confirmation": "confirmación de la baja",
    "Cal. B&P 22581 removal response": "respuesta de retirada (Cal. B&P 22581)",
}
