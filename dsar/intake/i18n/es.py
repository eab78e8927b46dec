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
    "Elsewhere": "En otro lugar",
    "EU/EEA": "UE/EEE",
    "United Kingdom": "Reino Unido",
    "California": "California",
    "elsewhere": "otro lugar",
    "Received": "Recibida",
    "Being worked on": "En tramitación",
    "Waiting for information from you": "Pendiente de información suya",
    "Answered": "Respondida",
    "Partly answered": "Respondida en parte",
    "Refused": "Denegada",
    "Withdrawn": "Retirada",
    "Closed: your email address was not confirmed": "Cerrada: no se confirmó su correo",
    "Closed: the same as an earlier request": "Cerrada: igual que una solicitud anterior",
    # dsar/intake/services.py, jobs.py (what staff read in the trail, in their language)
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
    "Make a privacy request": "Hacer una solicitud de privacidad",
    "Make a privacy request to %(name)s": "Hacer una solicitud de privacidad a %(name)s",
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
    "When to expect an answer": "Cuándo esperar una respuesta",
    "No email?": "¿No le ha llegado el correo?",
    "Look in your spam folder. If it is not there, we can send it again.": (
        "Mire en su carpeta de correo no deseado. Si no está allí, podemos enviarlo de nuevo."
    ),
    "Send the link again": "Enviar el enlace de nuevo",
    "Thank you": "Gracias",
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
    "If you did not make this request, close this page: without your confirmation nothing happens, and the request is closed.": (
        "Si usted no hizo esta solicitud, cierre esta página: sin su confirmación no se hará nada "
        "y la solicitud se cerrará."
    ),
    "This link no longer works": "Este enlace ya no funciona",
    "The link has expired, was already used, or was not copied whole.": (
        "El enlace ha caducado, ya se usó o no se copió completo."
    ),
    "Request %(ref)s": "Solicitud %(ref)s",
    "Your request %(ref)s": "Su solicitud %(ref)s",
    "Status": "Estado",
    "Received on": "Recibida el",
    "Email address confirmed on": "Correo confirmado el",
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
    # templates/intake/status_invalid.html: an expired or unknown status link, and its renewal
    "This status link has expired": ("Este enlace de seguimiento ha caducado"),
    "A status link works for %(days)s days after we send it. We can email you a new one.": (
        "Un enlace de seguimiento funciona durante %(days)s días desde que se lo enviamos. Podemos enviarle uno nuevo por correo electrónico."
    ),
    "This status link is not valid, or this browser no longer holds it. Open the link from our email again, or have a new one sent.": (
        "Este enlace de seguimiento no es válido, o este navegador ya no lo conserva. Vuelva a abrir el enlace de nuestro correo o pida uno nuevo."
    ),
    "Give the email address of your request. If it is the address the request was made with, we email a new link to its status page.": (
        "Indique la dirección de correo electrónico de su solicitud. Si es la dirección con la que se hizo la solicitud, le enviaremos un nuevo enlace a su página de seguimiento."
    ),
    "Email me a new link": ("Enviarme un nuevo enlace"),
    "This download link has expired": "Este enlace de descarga ha caducado",
    "Download links work for a short time only. Open your status page again from the link in our email to get a new one.": (
        "Los enlaces de descarga solo funcionan durante poco tiempo. Vuelva a abrir su página de "
        "seguimiento desde el enlace de nuestro correo para obtener uno nuevo."
    ),
    # templates/emails/intake_*
    "Reference:": "Referencia:",
    "Right:": "Derecho:",
    "If you did not make this request, ignore this email: without your confirmation nothing happens, and the request is closed.": (
        "Si usted no hizo esta solicitud, ignore este correo: sin su confirmación no se hará nada "
        "y la solicitud se cerrará."
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
    # dsar/residences.py: where the requester lives (the form's list, sorted in Spanish)
    "United States": "Estados Unidos",
    "European Union, Iceland, Liechtenstein, Norway": "Unión Europea, Islandia, Liechtenstein, Noruega",
    "Other countries": "Otros países",
    "None of these": "Ninguno de estos",
    "United States (state not given)": "Estados Unidos (sin indicar el estado)",
    "EU/EEA (country not given)": "UE/EEE (sin indicar el país)",
    "Alabama": "Alabama",
    "Alaska": "Alaska",
    "Arizona": "Arizona",
    "Arkansas": "Arkansas",
    "Colorado": "Colorado",
    "Connecticut": "Connecticut",
    "Delaware": "Delaware",
    "District of Columbia": "Distrito de Columbia",
    "Florida": "Florida",
    "Georgia": "Georgia",
    "Hawaii": "Hawái",
    "Idaho": "Idaho",
    "Illinois": "Illinois",
    "Indiana": "Indiana",
    "Iowa": "Iowa",
    "Kansas": "Kansas",
    "Kentucky": "Kentucky",
    "Louisiana": "Luisiana",
    "Maine": "Maine",
    "Maryland": "Maryland",
    "Massachusetts": "Massachusetts",
    "Michigan": "Míchigan",
    "Minnesota": "Minnesota",
    "Mississippi": "Misisipi",
    "Missouri": "Misuri",
    "Montana": "Montana",
    "Nebraska": "Nebraska",
    "Nevada": "Nevada",
    "New Hampshire": "Nuevo Hampshire",
    "New Jersey": "Nueva Jersey",
    "New Mexico": "Nuevo México",
    "New York": "Nueva York",
    "North Carolina": "Carolina del Norte",
    "North Dakota": "Dakota del Norte",
    "Ohio": "Ohio",
    "Oklahoma": "Oklahoma",
    "Oregon": "Oregón",
    "Pennsylvania": "Pensilvania",
    "Rhode Island": "Rhode Island",
    "South Carolina": "Carolina del Sur",
    "South Dakota": "Dakota del Sur",
    "Tennessee": "Tennessee",
    "Texas": "Texas",
    "Utah": "Utah",
    "Vermont": "Vermont",
    "Virginia": "Virginia",
    "Washington": "Washington",
    "West Virginia": "Virginia Occidental",
    "Wisconsin": "Wisconsin",
    "Wyoming": "Wyoming",
    "Austria": "Austria",
    "Belgium": "Bélgica",
    "Bulgaria": "Bulgaria",
    "Croatia": "Croacia",
    "Cyprus": "Chipre",
    "Czechia": "Chequia",
    "Denmark": "Dinamarca",
    "Estonia": "Estonia",
    "Finland": "Finlandia",
    "France": "Francia",
    "Germany": "Alemania",
    "Greece": "Grecia",
    "Hungary": "Hungría",
    "Ireland": "Irlanda",
    "Italy": "Italia",
    "Latvia": "Letonia",
    "Lithuania": "Lituania",
    "Luxembourg": "Luxemburgo",
    "Malta": "Malta",
    "Netherlands": "Países Bajos",
    "Poland": "Polonia",
    "Portugal": "Portugal",
    "Romania": "Rumanía",
    "Slovakia": "Eslovaquia",
    "Slovenia": "Eslovenia",
    "Spain": "España",
    "Sweden": "Suecia",
    "Iceland": "Islandia",
    "Liechtenstein": "Liechtenstein",
    "Norway": "Noruega",
    "Canada": "Canadá",
    "Brazil": "Brasil",
    # dsar/intake/forms.py: the residence question
    "Choose where you live.": "Indique dónde vive.",
    "Choose where you live from the list.": "Elija de la lista el lugar donde vive.",
    "Choose where you live": "Elija dónde vive",
    "Choose your US state or your country, or “Elsewhere”. The law of the place where you live can give you more rights and decides when you must get an answer.": (
        "Elija su estado de EE. UU. o su país, o «En otro lugar». La ley del lugar donde vive "
        "puede darle más derechos y decide cuándo debe recibir una respuesta."
    ),
    # dsar/intake/selectors.py: what an answer date rests on, and where the requester lives
    "the GDPR": "el RGPD",
    "the UK GDPR": "el RGPD del Reino Unido",
    "the California Consumer Privacy Act": "la Ley de Privacidad del Consumidor de California",
    "section 1798.83 of the California Civil Code": "el artículo 1798.83 del Código Civil de California",
    "section 22581 of the California Business and Professions Code": (
        "el artículo 22581 del Código de Comercio y Profesiones de California"
    ),
    "the CAN-SPAM Act": "la Ley CAN-SPAM",
    "the LGPD, Brazil's data protection law": "la LGPD, la ley de protección de datos de Brasil",
    "PIPEDA, Canada's privacy law": "la PIPEDA, la ley de privacidad de Canadá",
    "the privacy law of your state": "la ley de privacidad de su estado",
    "the %(law)s": "la ley «%(law)s»",
    "US states with their own privacy law": "estados de EE. UU. con ley de privacidad propia",
    "other US states": "otros estados de EE. UU.",
    "wherever you live": "viva donde viva",
    "%(place)s except %(names)s": "%(place)s salvo %(names)s",
    "We are checking who you are": "Estamos comprobando su identidad",
    "Closed: we could not verify who you are": "Cerrada: no pudimos comprobar su identidad",
    "Confirm your email address: follow the link we emailed you": (
        "Confirme su dirección de correo: siga el enlace que le enviamos"
    ),
    "Information to check who you are": "Información para comprobar su identidad",
    "More details about your request": "Más detalles sobre su solicitud",
    "A fee": "Un pago",
    # templates/intake: the form, the sent page, the confirmation and status pages
    "The US states with their own privacy law, as this page names them: %(states)s.": (
        "Los estados de EE. UU. con ley de privacidad propia, como los llama esta página: "
        "%(states)s."
    ),
    "Answer expected, by where you live:": "Respuesta prevista, según dónde viva:",
    "Use this form to ask %(name)s to use one of the rights its privacy policy gives you. We then email you a link to confirm your email address.": (
        "Use este formulario para ejercer ante %(name)s uno de los derechos que le da su política "
        "de privacidad. Después le enviaremos un enlace para confirmar su dirección de correo."
    ),
    "by %(due)s under %(law)s": "a más tardar el %(due)s, según %(law)s",
    "by %(due)s, as the privacy policy promises": (
        "a más tardar el %(due)s, como promete la política de privacidad"
    ),
    "%(name)s sets the date: by %(due)s": "%(name)s fija la fecha: a más tardar el %(due)s",
    "%(name)s sets the date": "%(name)s fija la fecha",
    "the privacy policy promises:": "la política de privacidad promete:",
    "Confirming your email address does not change this date.": (
        "Confirmar su dirección de correo no cambia esta fecha."
    ),
    "We sent a link to the email address you gave. Follow it within %(hours)s hours to confirm your email address: your request is acted on once you do. The email also says how your request will be processed.": (
        "Hemos enviado un enlace a la dirección de correo que indicó. Sígalo en un plazo de "
        "%(hours)s horas para confirmar su dirección: su solicitud se tramitará cuando lo haga. "
        "El correo también explica cómo se tramitará su solicitud."
    ),
    "If you gave a valid email address, we sent you a link: follow it to confirm your email address.": (
        "Si indicó una dirección de correo válida, le hemos enviado un enlace: sígalo para "
        "confirmar su dirección."
    ),
    "This form is switched off": "Este formulario está desactivado",
    "%(name)s does not take privacy requests through this form at the moment. Nothing sent to it is recorded.": (
        "%(name)s no recibe ahora solicitudes de privacidad por este formulario. No se registra "
        "nada de lo que se envíe por él."
    ),
    "Confirm your email address": "Confirme su dirección de correo",
    "You are about to confirm the email address of request <strong>%(ref)s</strong> to %(name)s (%(right)s).": (
        "Va a confirmar la dirección de correo de la solicitud <strong>%(ref)s</strong> a "
        "%(name)s (%(right)s)."
    ),
    "This confirms only that you read this mailbox. It is not a check of who you are, and it does not change when to expect an answer.": (
        "Esto solo confirma que usted lee este buzón. No comprueba su identidad ni cambia cuándo "
        "esperar una respuesta."
    ),
    "Confirm my email address": "Confirmar mi dirección de correo",
    "What we asked you": "Lo que le hemos pedido",
    "When to expect an answer:": "Cuándo esperar una respuesta:",
    "Waiting for it does not change when to expect an answer.": (
        "La espera no cambia cuándo esperar una respuesta."
    ),
    "The time to answer starts again on the day %(name)s receives it: the date to expect an answer will then move.": (
        "El plazo para responder vuelve a empezar el día en que %(name)s lo reciba: la fecha "
        "prevista de respuesta cambiará entonces."
    ),
    "The days from the question to your answer do not count: the date to expect an answer will then move.": (
        "Los días entre la pregunta y su respuesta no cuentan: la fecha prevista de respuesta "
        "cambiará entonces."
    ),
    "Part of the time to answer starts again on the day %(name)s receives it, but this date stays:": (
        "Parte del plazo para responder vuelve a empezar el día en que %(name)s lo reciba, pero "
        "esta fecha se mantiene:"
    ),
    "%(name)s sets the date to expect an answer itself.": (
        "%(name)s fija por sí misma la fecha prevista de respuesta."
    ),
    # templates/emails/intake_*: the acknowledgement of receipt, and the confirmation
    "We received your request %(ref)s to %(name)s: please confirm your email address": (
        "Hemos recibido su solicitud %(ref)s a %(name)s: confirme su dirección de correo"
    ),
    "We received your privacy request to %(name)s on %(day)s, sent with this email address.": (
        "Hemos recibido el %(day)s su solicitud de privacidad a %(name)s, enviada con esta "
        "dirección de correo."
    ),
    "How your request will be processed": "Cómo se tramitará su solicitud",
    "Confirm your email address: follow this link within %(hours)s hours.": (
        "Confirme su dirección de correo: siga este enlace en un plazo de %(hours)s horas."
    ),
    "%(name)s then answers your request. When you have confirmed your email address, we send you the link to a page where you can follow it.": (
        "Después, %(name)s responderá a su solicitud. Cuando haya confirmado su dirección de "
        "correo, le enviaremos el enlace a una página donde podrá seguirla."
    ),
    "California law lets %(name)s act on this request only once it has verified that the request comes from you. It will do so by matching information you give with information it already holds, and will ask you only for what it needs. The time to answer runs from the day it received your request, however long the verification takes.": (
        "La ley de California solo permite a %(name)s atender esta solicitud una vez que haya "
        "verificado que procede de usted. Lo hará comparando la información que usted aporte con "
        "la que ya tiene, y solo le pedirá lo que necesite. El plazo para responder cuenta desde "
        "el día en que recibió su solicitud, tarde lo que tarde la verificación."
    ),
    "%(law)s lets %(name)s act on this request only once it has checked that the request comes from you. It will tell you what it needs for that.": (
        "%(law)s solo permite a %(name)s atender esta solicitud una vez que haya comprobado que "
        "procede de usted. Le indicará lo que necesita para ello."
    ),
    "The privacy policy of %(name)s requires it to check who you are before it acts on this request. It will tell you what it needs for that.": (
        "La política de privacidad de %(name)s le obliga a comprobar su identidad antes de "
        "atender esta solicitud. Le indicará lo que necesita para ello."
    ),
    "If %(name)s needs to make sure that the request comes from you, it will ask you for what it needs.": (
        "Si %(name)s necesita asegurarse de que la solicitud procede de usted, le pedirá lo que "
        "necesite."
    ),
    "Your email address is confirmed: request %(ref)s": (
        "Su dirección de correo está confirmada: solicitud %(ref)s"
    ),
    "Thank you: you have confirmed the email address of your request %(ref)s to %(name)s.": (
        "Gracias: ha confirmado la dirección de correo de su solicitud %(ref)s a %(name)s."
    ),
    "This confirms only that you read this mailbox, not who you are.": (
        "Esto solo confirma que usted lee este buzón, no su identidad."
    ),
    # templates/emails/nudge_*: the reminder sweep's emails to the requester (dsar.reminders)
    "Hello,": "Hola:",
    "Please confirm your email address: your request %(reference)s to %(org)s": (
        "Confirme su dirección de correo: su solicitud %(reference)s a %(org)s"
    ),
    "On %(day)s we received your privacy request %(reference)s to %(org)s. Before it is acted on, please confirm your email address: the link we emailed you has not been followed yet.": (
        "El %(day)s recibimos su solicitud de privacidad %(reference)s a %(org)s. Antes de "
        "tramitarla, confirme su dirección de correo: aún no ha seguido el enlace que le enviamos."
    ),
    "Follow this link to confirm it:": "Siga este enlace para confirmarla:",
    "If the email address is not confirmed by %(day)s, we will close the request; you can always make a new one.": (
        "Si la dirección de correo no se confirma a más tardar el %(day)s, cerraremos la "
        "solicitud; siempre puede hacer una nueva."
    ),
    "Please confirm your identity: your request %(reference)s to %(org)s": (
        "Confirme su identidad: su solicitud %(reference)s a %(org)s"
    ),
    "On %(day)s we received your privacy request %(reference)s to %(org)s. Before we can act on it, we need to confirm that it comes from you, and that step is not finished yet.": (
        "El %(day)s recibimos su solicitud de privacidad %(reference)s a %(org)s. Antes de "
        "tramitarla, necesitamos confirmar que procede de usted, y ese paso aún no ha terminado."
    ),
    "Please follow this link to finish it:": "Siga este enlace para terminarlo:",
    "Please follow this link to finish it.": "Siga este enlace para terminarlo.",
    "Please send what we asked you for, or reply to this email.": (
        "Envíenos lo que le pedimos, o responda a este correo."
    ),
    "Please follow the link in the email we sent you when you made the request, or reply to this email.": (
        "Siga el enlace del correo que le enviamos cuando hizo la solicitud, o responda a este "
        "correo."
    ),
    "If we cannot confirm your identity by %(day)s, we will close the request; you can always make a new one.": (
        "Si no podemos confirmar su identidad a más tardar el %(day)s, cerraremos la solicitud; "
        "siempre puede hacer una nueva."
    ),
    "If you did not make this request, you can ignore this email.": (
        "Si usted no hizo esta solicitud, puede ignorar este correo."
    ),
    "Your request %(reference)s to %(org)s has been closed": (
        "Su solicitud %(reference)s a %(org)s se ha cerrado"
    ),
    "On %(day)s we received your privacy request %(reference)s to %(org)s. Its email address was not confirmed, so we have closed it without acting on it.": (
        "El %(day)s recibimos su solicitud de privacidad %(reference)s a %(org)s. Su dirección "
        "de correo no se confirmó, así que la hemos cerrado sin tramitarla."
    ),
    "You can make a new request at any time; please follow the link we then email you.": (
        "Puede hacer una nueva solicitud en cualquier momento; siga entonces el enlace que le "
        "enviemos."
    ),
    "On %(day)s we received your privacy request %(reference)s to %(org)s. We could not confirm that it came from you, so we have closed it without acting on it.": (
        "El %(day)s recibimos su solicitud de privacidad %(reference)s a %(org)s. No pudimos "
        "confirmar que procedía de usted, así que la hemos cerrado sin tramitarla."
    ),
    "You can make a new request at any time; please finish the identity check when we ask for it.": (
        "Puede hacer una nueva solicitud en cualquier momento; complete la comprobación de "
        "identidad cuando se la pidamos."
    ),
    # The trail of a web-form request, as dsar.requests writes it: in the staff's language
    # (LANGUAGE_CODE), whatever language the requester used; Spanish for a Spanish installation.
    "Received by %(channel)s; %(when)s": "Recibida por %(channel)s; %(when)s",
    "due %(due)s": "vence el %(due)s",
    "Asked the requester for %(what)s: %(effect)s": "Se pidió al solicitante %(what)s: %(effect)s",
    "confirmation of their email address": "la confirmación de su dirección de correo",
    "the clock keeps running": "el plazo sigue corriendo",
    "Receipt acknowledged: %(how)s": "Acuse de recibo: %(how)s",
    "the acknowledgement email sent on receipt through the web form": (
        "el correo de acuse de recibo enviado al recibirla por el formulario web"
    ),
    "Follow the link emailed to the address given on the web form.": (
        "Siga el enlace enviado a la dirección indicada en el formulario web."
    ),
    "%(ref)s from the same requester is still open.": (
        "%(ref)s, del mismo solicitante, sigue abierta."
    ),
    # -- US state rights on the public side: opt-outs, Global Privacy Control, appeals ----------
    # dsar/policies/models.py: the rights, as the form and the status page name them
    "opt-out of sale or sharing of personal information": (
        "exclusión de la venta o cesión de datos personales"
    ),
    "opt-out of targeted advertising": "exclusión de la publicidad dirigida",
    "opt-out of profiling": "exclusión de la elaboración de perfiles",
    "limit the use of sensitive personal information": (
        "limitación del uso de datos personales sensibles"
    ),
    "appeal of a refusal": "recurso contra una denegación",
    # dsar/intake/models.py
    "organization": "organización",
    "email confirmation asked": "confirmación del correo pedida",
    "False for an opt-out and an appeal: they are acted on at once, without a confirmation link (Cal. Code Regs. tit. 11 §7060(b)).": (
        "Falso para una exclusión y un recurso: se atienden en el acto, sin enlace de "
        "confirmación (Cal. Code Regs. tít. 11 §7060(b))."
    ),
    "browser hash": "hash del navegador",
    "SHA-256 of the random id in the browser's cookie.": (
        "SHA-256 del identificador aleatorio de la cookie del navegador."
    ),
    "first received at": "recibida por primera vez el",
    "last received at": "recibida por última vez el",
    "Global Privacy Control signal": "señal Global Privacy Control",
    "Global Privacy Control signals": "señales Global Privacy Control",
    # dsar/intake/forms.py: what a Californian's request to know asks for, and the appeal
    "What do you want to know?": "¿Qué quiere conocer?",
    "The categories of my personal information: what kinds it holds, where they come from, why it uses them and to whom it discloses them": (
        "Las categorías de mis datos personales: qué tipos tiene, de dónde proceden, para qué "
        "los usa y a quién los comunica"
    ),
    "The specific pieces of my personal information: a copy": (
        "Los datos personales concretos que tiene sobre mí: una copia"
    ),
    "California law asks for more proof of who you are before the specific pieces are released: the organization matches three pieces of information you give with what it holds, and asks you to sign a declaration under penalty of perjury. For the categories, two matching pieces of information are enough. If you do not choose, your request is taken as asking for the specific pieces.": (
        "La ley de California exige más pruebas de su identidad antes de entregar los datos "
        "concretos: la organización compara tres datos que usted aporte con los que tiene y le "
        "pide firmar una declaración bajo pena de perjurio. Para las categorías bastan dos datos "
        "que coincidan. Si no elige, se entenderá que pide los datos concretos."
    ),
    "Why do you disagree with the refusal?": "¿Por qué no está de acuerdo con la denegación?",
    "Say what you think is wrong with it, and anything that should be looked at.": (
        "Indique qué cree que está mal en ella y todo lo que deba revisarse."
    ),
    # dsar/intake/selectors.py: what the policy declares, beside each opt-out
    "The privacy policy says that %(name)s sells personal information.": (
        "La política de privacidad dice que %(name)s vende datos personales."
    ),
    "The privacy policy does not say whether %(name)s sells personal information.": (
        "La política de privacidad no dice si %(name)s vende datos personales."
    ),
    "The privacy policy says that %(name)s shares personal information for targeted advertising.": (
        "La política de privacidad dice que %(name)s cede datos personales para publicidad "
        "dirigida."
    ),
    "The privacy policy does not say whether %(name)s shares personal information for targeted advertising.": (
        "La política de privacidad no dice si %(name)s cede datos personales para publicidad "
        "dirigida."
    ),
    "The privacy policy says that %(name)s uses personal information for profiling that leads to decisions with legal or similarly significant effects.": (
        "La política de privacidad dice que %(name)s usa datos personales para elaborar perfiles "
        "que llevan a decisiones con efectos jurídicos o de importancia similar."
    ),
    "The privacy policy does not say whether %(name)s uses personal information for profiling that leads to decisions with legal or similarly significant effects.": (
        "La política de privacidad no dice si %(name)s usa datos personales para elaborar "
        "perfiles que llevan a decisiones con efectos jurídicos o de importancia similar."
    ),
    "The privacy policy says that %(name)s uses sensitive personal information for more than the purposes the law allows without offering this choice.": (
        "La política de privacidad dice que %(name)s usa datos personales sensibles para más "
        "fines de los que la ley permite sin ofrecer esta opción."
    ),
    "The privacy policy does not say whether %(name)s uses sensitive personal information for more than the purposes the law allows without offering this choice.": (
        "La política de privacidad no dice si %(name)s usa datos personales sensibles para más "
        "fines de los que la ley permite sin ofrecer esta opción."
    ),
    # dsar/intake/views.py
    "This request can no longer be appealed: it was appealed already, or the time to appeal has ended.": (
        "Ya no se puede recurrir esta solicitud: ya se recurrió o el plazo para recurrir ha "
        "terminado."
    ),
    # dsar/intake/services.py: the trail, in the staff's language
    "Sent with the Global Privacy Control signal (Sec-GPC: 1) of the requester's browser: a request to opt out of the sale and sharing of their personal information.": (
        "Enviada con la señal Global Privacy Control (Sec-GPC: 1) del navegador del solicitante: "
        "una solicitud de exclusión de la venta y cesión de sus datos personales."
    ),
    "The law of the requester's state requires honouring it as a valid opt-out (a universal opt-out mechanism).": (
        "La ley del estado del solicitante obliga a atenderla como una exclusión válida (un "
        "mecanismo universal de exclusión)."
    ),
    "the receipt emailed on receipt through the web form": (
        "el acuse enviado por correo al recibirla por el formulario web"
    ),
    # templates/intake: the form's opt-outs and Global Privacy Control
    "To be acted on, by where you live:": "Se atenderá, según dónde viva:",
    "Rights the law gives you": "Derechos que le da la ley",
    "The privacy policy does not list these rights, but the law of some US states gives them to their residents, and the policy does not rule out what they are about: see what it says under each.": (
        "La política de privacidad no incluye estos derechos, pero la ley de algunos estados de "
        "EE. UU. se los da a sus residentes, y la política no descarta aquello a lo que se "
        "refieren: vea lo que dice en cada uno."
    ),
    "What the policy says": "Qué dice la política",
    "Who has it by law:": "Quién lo tiene por ley:",
    "%(places)s residents.": "Los residentes de %(places)s.",
    "No proof of who you are and no confirmation link: %(name)s acts on it as soon as you send the form, and emails you a receipt. Only your name, your email address and where you live are needed.": (
        "Sin prueba de su identidad ni enlace de confirmación: %(name)s la atiende en cuanto "
        "envíe el formulario y le manda un acuse por correo. Solo hacen falta su nombre, su "
        "dirección de correo y dónde vive."
    ),
    "An opt-out needs no authorization: leave this empty if you ask for one.": (
        "Una exclusión no necesita autorización: deje esto vacío si pide una."
    ),
    "An opt-out needs nothing more: if you ask for one, leave this part empty and send the form.": (
        "Una exclusión no necesita nada más: si pide una, deje esta parte vacía y envíe el "
        "formulario."
    ),
    "If you ask for access and live in California": "Si pide acceso y vive en California",
    "Your browser sent a Global Privacy Control signal: we treat it as a request to opt out of the sale and sharing of your personal information by %(name)s.": (
        "Su navegador ha enviado una señal Global Privacy Control: la tratamos como una "
        "solicitud de exclusión de la venta y cesión de sus datos personales por %(name)s."
    ),
    "If you send this form, we also log that opt-out in your name, with your email address, and %(name)s acts on it at once.": (
        "Si envía este formulario, registramos además esa exclusión a su nombre, con su "
        "dirección de correo, y %(name)s la atiende en el acto."
    ),
    "Because your browser sends the Global Privacy Control signal, one more cookie lets us record that signal once: it holds a random number, and nothing about you.": (
        "Como su navegador envía la señal Global Privacy Control, otra cookie nos permite "
        "registrar esa señal una sola vez: contiene un número aleatorio y nada sobre usted."
    ),
    # templates/intake/done.html
    "Your request is being acted on": "Su solicitud se está atendiendo",
    "%(name)s is acting on your request (%(right)s) now: it needs no proof of who you are and no confirmation of your email address.": (
        "%(name)s está atendiendo ya su solicitud (%(right)s): no requiere prueba de su "
        "identidad ni la confirmación de su dirección de correo."
    ),
    "Your browser's Global Privacy Control signal asked for it too.": (
        "La señal Global Privacy Control de su navegador también la pidió."
    ),
    "By when": "Plazo",
    "To be done:": "Se hará:",
    "We emailed you a receipt with the link to a page where you can follow your request.": (
        "Le hemos enviado por correo un acuse con el enlace a una página donde puede seguir su "
        "solicitud."
    ),
    "Your Global Privacy Control signal": "Su señal Global Privacy Control",
    "Your browser sent a Global Privacy Control signal with the form, so we also logged request <strong>%(ref)s</strong>: an opt-out of the sale and sharing of your personal information by %(name)s. It needs no confirmation: %(name)s is acting on it now.": (
        "Su navegador envió una señal Global Privacy Control con el formulario, así que también "
        "hemos registrado la solicitud <strong>%(ref)s</strong>: una exclusión de la venta y "
        "cesión de sus datos personales por %(name)s. No requiere confirmación: %(name)s ya la "
        "está atendiendo."
    ),
    "We emailed you a receipt for it too.": "También le hemos enviado un acuse por correo.",
    # templates/intake/status.html and _appeal.html: the appeal of a refusal
    "Appeal of": "Recurso contra",
    "Appeal": "Recurso",
    "Reference": "Referencia",
    "Decision due": "Decisión prevista",
    "You appealed this refusal on %(day)s: your appeal is request <strong>%(ref)s</strong>. We emailed you the link to its own page.": (
        "Recurrió esta denegación el %(day)s: su recurso es la solicitud <strong>%(ref)s</strong>. "
        "Le hemos enviado por correo el enlace a su propia página."
    ),
    "%(law)s gives you the right to appeal this refusal: %(name)s must then look at your request again and tell you its decision, with its reasons, in writing.": (
        "%(law)s le da derecho a recurrir esta denegación: %(name)s deberá entonces examinar de "
        "nuevo su solicitud y comunicarle por escrito su decisión, con sus motivos."
    ),
    "If you appeal today, %(name)s must decide by %(due)s under %(law)s.": (
        "Si recurre hoy, %(name)s debe decidir a más tardar el %(due)s, según %(law)s."
    ),
    "If you appeal today, %(name)s will decide by %(due)s, within the time %(law)s gives it.": (
        "Si recurre hoy, %(name)s decidirá a más tardar el %(due)s, dentro del plazo que le da "
        "%(law)s."
    ),
    "You can appeal until %(day)s.": "Puede recurrir hasta el %(day)s.",
    "If %(name)s denies your appeal, you can contact the %(ag)s:": (
        "Si %(name)s desestima su recurso, puede ponerse en contacto con %(ag)s:"
    ),
    "If you disagree with the decision on your appeal, you can contact the %(ag)s:": (
        "Si no está de acuerdo con la decisión sobre su recurso, puede ponerse en contacto con %(ag)s:"
    ),
    "Appeal this refusal": "Recurrir esta denegación",
    "The time to appeal this refusal ended on %(day)s.": (
        "El plazo para recurrir esta denegación terminó el %(day)s."
    ),
    # templates/emails/intake_opt_out.*, intake_appeal.*
    "We are acting on your request %(ref)s to %(name)s": (
        "Estamos atendiendo su solicitud %(ref)s a %(name)s"
    ),
    "Your browser's Global Privacy Control signal asked for it.": (
        "La pidió la señal Global Privacy Control de su navegador."
    ),
    "%(name)s is acting on it now: an opt-out needs no proof of who you are and no confirmation of your email address.": (
        "%(name)s la está atendiendo ya: una solicitud de exclusión no requiere prueba de su "
        "identidad ni la confirmación de su dirección de correo."
    ),
    "We received your appeal %(ref)s to %(name)s": "Hemos recibido su recurso %(ref)s a %(name)s",
    "On %(day)s we received your appeal of the refusal of your request %(original)s to %(name)s. %(name)s will look at your request again and tell you its decision, with its reasons, in writing.": (
        "El %(day)s recibimos su recurso contra la denegación de su solicitud %(original)s a "
        "%(name)s. %(name)s examinará de nuevo su solicitud y le comunicará por escrito su "
        "decisión, con sus motivos."
    ),
    "Follow your appeal on this page:": "Siga su recurso en esta página:",
    "Follow your appeal": "Seguir su recurso",
    # templates/error_base.html, 400.html, 403.html, 404.html, 500.html, 503.html (dsar.core.errors;
    # "Page not found" is above)
    "Privacy requests": "Solicitudes de privacidad",
    "This service receives privacy requests and answers them.": (
        "Este servicio recibe solicitudes de privacidad y las responde."
    ),
    "The request could not be read": "No se pudo leer la solicitud",
    "Your browser sent something this service could not understand. Go back, reload the page and try again.": (
        "Su navegador envió algo que este servicio no pudo entender. Vuelva atrás, vuelva a "
        "cargar la página e inténtelo de nuevo."
    ),
    "You cannot open this page": "No puede abrir esta página",
    "The form could not be sent: it was open for too long, or your browser did not keep the cookie that protects it. Go back, reload the page and send the form again.": (
        "No se pudo enviar el formulario: estuvo abierto demasiado tiempo, o su navegador no "
        "guardó la cookie que lo protege. Vuelva atrás, vuelva a cargar la página y envíe de "
        "nuevo el formulario."
    ),
    "This page is not open to you. If you followed a link from one of our emails, it may have expired: the email says how to ask for a new one.": (
        "Esta página no está abierta para usted. Si siguió un enlace de uno de nuestros correos, "
        "puede haber caducado: el correo indica cómo pedir uno nuevo."
    ),
    "There is no page at this address. If you typed it, check it. If you followed a link from one of our emails, it may have expired or been replaced by a newer one.": (
        "No hay ninguna página en esta dirección. Si la escribió usted, compruébela. Si siguió "
        "un enlace de uno de nuestros correos, puede haber caducado o haber sido sustituido por "
        "otro más reciente."
    ),
    "Something went wrong": "Algo ha fallado",
    "This is a fault in our service, not anything you did, and it has been recorded. Try again in a few minutes.": (
        "Es un fallo de nuestro servicio, no de algo que usted hiciera, y ha quedado registrado. "
        "Inténtelo de nuevo dentro de unos minutos."
    ),
    "The service is unavailable for a moment": "El servicio no está disponible por un momento",
    "Nothing you typed is lost: it is below. Your request could not be taken just now; send it again in a minute.": (
        "No se ha perdido nada de lo que escribió: está aquí debajo. No se pudo recibir su "
        "solicitud en este momento; envíela de nuevo dentro de un minuto."
    ),
    "The file you attached could not be kept: attach it again before you send.": (
        "El archivo que adjuntó no se pudo conservar: adjúntelo de nuevo antes de enviar."
    ),
    "Try again": "Intentar de nuevo",
    "Nothing was lost. Try again in a minute.": (
        "No se ha perdido nada. Inténtelo de nuevo dentro de un minuto."
    ),
    # dsar/correspondence: messages on the status page and in the requester's emails
    "Messages": "Mensajes",
    "From %(name)s": "De %(name)s",
    "From you": "Suyo",
    "No messages yet.": "Todavía no hay mensajes.",
    "Write to us about this request": "Escríbanos sobre esta solicitud",
    "Send the message": "Enviar el mensaje",
    "Your message was not sent": "Su mensaje no se ha enviado",
    "Back to your request": "Volver a su solicitud",
    "Write a message first.": "Escriba primero un mensaje.",
    "A message can be at most %(max)d characters long.": (
        "Un mensaje puede tener como máximo %(max)d caracteres."
    ),
    "A new message about your request %(ref)s": "Un mensaje nuevo sobre su solicitud %(ref)s",
    "%(name)s has written to you about your request %(ref)s. Read the message and answer it on your request's page:": (
        "%(name)s le ha escrito sobre su solicitud %(ref)s. Lea el mensaje y respóndalo en la "
        "página de su solicitud:"
    ),
    "Read the message": "Leer el mensaje",
    "%(name)s, about your request %(ref)s. To answer, reply to this email.": (
        "%(name)s, sobre su solicitud %(ref)s. Para contestar, responda a este correo."
    ),
    "Or answer on your request's page:": "O conteste en la página de su solicitud:",
    "Answer on your request's page": "Conteste en la página de su solicitud",
    # dsar/fulfilment/notices.py: the recipients told, sent to the requester when they ask (GDPR Art. 19)
    "Your request %(ref)s: the recipients we told": "Su solicitud %(ref)s: los destinatarios informados",
    "You asked who received your personal data. We disclosed it to the following recipients, and told each of them of your request for %(right)s:": "Nos preguntó quién recibió sus datos personales. Los comunicamos a los siguientes destinatarios, y hemos informado a cada uno de ellos de su solicitud de %(right)s:",
    "You can answer this message if you have any question.": "Puede responder a este mensaje si tiene alguna pregunta.",
}
