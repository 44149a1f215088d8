"""The letters' words in Spanish: the same keys and {placeholders} as en.py, nothing more.

45 CFR 147.136(e): where a county's threshold language is Spanish, the notice is available in
Spanish on request (and a member who chose Spanish gets it in Spanish). Our translation,
confidence MEDIUM: a qualified translator must review it before a letter goes out on paper
(45 CFR 92.201(c)(3)). What a reviewer typed (the reason, the alternatives, the peer-to-peer
instructions) and proper names (agencies, products, policies) are printed as written.
"""

from __future__ import annotations

MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)

TEXT: dict[str, str] = {
    "date": "{day} de {month} de {year}",
    "moment": "{date} a las {time} (hora del Este)",
    "title": "Aviso de decisión sobre la autorización previa",
    "to": "Para:",
    "footer.request": "Solicitud {number}",
    "footer.page": "Página {page}",
    "recipient.member": "{name}, miembro",
    "recipient.provider": "{name}{npi}, proveedor que le atiende, {organization}",
    "recipient.provider_unnamed": "El proveedor que le atiende{npi}, {organization}",
    "npi": " (NPI {npi})",
    "about.request_number": "Número de solicitud",
    "about.member": "Miembro",
    "about.member_id": "Identificación de miembro",
    "about.date_of_birth": "Fecha de nacimiento",
    "about.plan": "Plan",
    "headline.approved": "Su solicitud está aprobada.",
    "headline.partially_approved": "Una parte de su solicitud está aprobada y otra parte está denegada.",
    "headline.modified": "Su solicitud está aprobada con cambios.",
    "headline.denied": "Su solicitud está denegada.",
    "headline.deemed": "Su solicitud está aprobada porque no la decidimos a tiempo.",
    "request.heading": "Qué se solicitó",
    "request.service": "Servicio",
    "request.hcpcs": "Código de facturación (HCPCS)",
    "request.no_hcpcs": "Ninguno (sin código de producto)",
    "request.date_of_service": "Fecha del servicio",
    "request.review_type": "Tipo de revisión",
    "request.received": "Recibida",
    "request.facility": "Centro de tratamiento",
    "decision.heading": "Nuestra decisión",
    "decision.approved": "Aprobamos la solicitud de {service} como se indica a continuación.",
    "decision.partially_approved": "Aprobamos una parte de la solicitud de {service}. Lo aprobado se "
    "indica a continuación; el resto se deniega por el motivo que sigue.",
    "decision.modified": "Aprobamos {service}, pero no exactamente como se solicitó. Lo aprobado se "
    "indica a continuación; el motivo del cambio sigue.",
    "decision.denied": "No aprobamos la solicitud de {service}. A continuación le explicamos el "
    "motivo y lo que puede hacer.",
    "decision.deemed": "La ley de {state} fija un plazo para decidir una solicitud de autorización "
    "previa. No decidimos esta solicitud dentro de ese plazo, por lo que queda aprobada por "
    "disposición de la ley.",
    "decision.deemed_due": " La decisión debía tomarse a más tardar el {due}.",
    "decision.deemed_rule": " El plazo: {rule}.",
    "decision.clock.receipt": "después de recibir la solicitud",
    "decision.clock.complete": "después de tener toda la información que necesitábamos",
    "decision.reviewer_note": "Nota del revisor: {note}",
    "decision.extended": "El {moment} extendimos, una sola vez, el plazo para decidir esta "
    "solicitud, como lo permiten las normas cuando lo exigen circunstancias ajenas a nuestro "
    "control. El motivo: {reason}",
    "decision.extended_due": " La decisión debía tomarse entonces a más tardar el {due}.",
    "decision.supersedes": "Esta carta reemplaza nuestra carta del {day}, en la que le informamos "
    "que la solicitud fue {outcome}. Cambiamos la decisión después de una conversación entre pares "
    "con el médico que la ordenó. Por qué cambió: {reason}",
    "decision.decision": "Decisión",
    "decision.code": "Código de decisión (X12 278)",
    "decision.decided": "Decidida",
    "decision.decided_by": "{moment} por {decider}",
    "decision.operation_of_law": "disposición de la ley",
    "decision.the_plan": "el plan",
    "decision.person": "{name}, {role}",
    "decision.approved_service": "Servicio aprobado",
    "decision.as_requested_service": "{service}, según lo solicitado",
    "decision.units": "Unidades aprobadas",
    "decision.as_requested": "Según lo solicitado",
    "decision.from": "Aprobado desde",
    "decision.through": "Aprobado hasta",
    "decision.indiana_validity": "La ley de Indiana dispone que una aprobación sea válida durante al "
    "menos un año ({source}). Puede usar esta aprobación hasta por lo menos el {until}, aunque las "
    "fechas que siguen terminen antes.",
    "not_a_guarantee": "Esto no es una garantía de pago: el contrato del plan del miembro (Evidencia "
    "de Cobertura) decide la cobertura y el pago, y cuando este y la política MP-AD-1623 difieren, "
    "prevalece la Evidencia de Cobertura (MP-AD-1623, preámbulo).",
    "reason.heading": "Por qué tomamos esta decisión",
    "reason.criteria": "Criterios aplicados",
    "reason.criteria_section": ", sección {section}",
    "reason.denial_code": "Código de denegación",
    "reason.none": "No se registró ningún motivo. Llámenos: usted tiene derecho a conocerlo.",
    "reason.free_copy": "Usted o su médico pueden pedirnos una copia gratuita de los criterios que "
    "usamos, de las razones clínicas de esta decisión y de los códigos de diagnóstico y tratamiento "
    "de esta solicitud con su significado. No tiene ningún costo.",
    "criteria_not_met.heading": "Criterios no cumplidos",
    "criteria_not_met.intro": "El revisor determinó que la solicitud no cumple estos criterios. Para "
    "cada uno, esto es lo que su médico puede enviarnos para demostrar que se cumple:",
    "criteria_not_met.would_change": "Qué cambiaría la decisión: {evidence}",
    "alternatives.heading": "Otras opciones a considerar",
    "alternatives.none": "El revisor no sugirió ninguna alternativa.",
    "alternatives.indiana": "La ley de Indiana ({source}) nos pide sugerir alternativas. Si su médico "
    "acepta una alternativa, o corrige un error administrativo, dentro de las 48 horas, volveremos a "
    "decidir dentro de las 48 horas.",
    "p2p.heading": "Su médico puede hablar con el revisor",
    "p2p.available": "El revisor que tomó esta decisión, {reviewer}, está disponible para hablarla "
    "con su médico. Esto se llama una conversación entre colegas (peer-to-peer).",
    "p2p.how": "Cómo pedirla: {how}",
    "p2p.default": "Su médico puede llamar a {contact} y pedir una conversación entre colegas.",
    "provider_contact": "Servicios para Proveedores",
    "appeal.heading": "Su derecho a apelar",
    "appeal.intro": "Usted tiene derecho a no estar de acuerdo con esta decisión. Los pasos, y el "
    "plazo que tiene:",
    "appeal.urgent": "Esta solicitud se revisó como urgente, así que puede pedir una apelación acelerada.",
    "appeal.internal": "Apelación interna",
    "appeal.internal_text": "Usted, o su médico en su nombre, puede pedirnos que revisemos de nuevo "
    "esta decisión. Pídalo dentro de los {days} días siguientes a recibir esta carta llamando a "
    "{contact}, o por escrito. Decidimos una apelación dentro de {decision_days} días. La decide un "
    "revisor que no participó en esta decisión.",
    "appeal.expedited": "Apelación acelerada (rápida)",
    "appeal.expedited_text": "Si esperar pudiera poner en grave peligro su vida, su salud o su "
    "capacidad de recuperar al máximo sus funciones, pida una apelación acelerada. La decidimos "
    "dentro de {hours} horas. Al mismo tiempo puede pedir una revisión externa acelerada.",
    "appeal.external": "Revisión externa",
    "appeal.external_text": "Si mantenemos nuestra decisión después de su apelación, puede pedir una "
    "revisión independiente por médicos que no trabajan para nosotros. Pídala a {regulator} dentro "
    "de {window} desde nuestra decisión final. Una revisión estándar se decide dentro de {days} "
    "días; una acelerada, dentro de {hours} horas. Es gratuita.",
    "appeal.regulator": "la entidad {name}",
    "appeal.regulator_unknown": "el departamento de seguros de su estado",
    "appeal.sources": "Estos derechos provienen de la ley federal ({federal})",
    "appeal.sources_state": " y de la ley de {state} ({source}).",
    "appeal.window.4 months": "4 meses",
    "appeal.window.120 days": "120 días",
    "plan_contact": "el número de teléfono de Servicios para Miembros que aparece al reverso de su "
    "tarjeta de identificación de miembro",
    # La carta de la decisión sobre una apelación (priorauth/appeals/letter.py)
    "appeal_letter.title": "Aviso de decisión sobre su apelación",
    "appeal_letter.number": "Número de apelación",
    "appeal_letter.headline.overturned": "Revocamos nuestra decisión: su solicitud está aprobada.",
    "appeal_letter.headline.partly_overturned": "Cambiamos nuestra decisión en parte: se aprueba más "
    "de su solicitud.",
    "appeal_letter.headline.upheld": "Revisamos su apelación y mantuvimos nuestra decisión.",
    "appeal_letter.outcome.overturned": "Revocada",
    "appeal_letter.outcome.partly_overturned": "Revocada en parte",
    "appeal_letter.outcome.upheld": "Confirmada",
    "appeal_letter.appealed.heading": "Qué se apeló",
    "appeal_letter.appealed.text": "El consultorio de su proveedor nos pidió, en su nombre, que "
    "volviéramos a revisar nuestra decisión sobre la solicitud de {service}.",
    "appeal_letter.first_decision": "Nuestra primera decisión",
    "appeal_letter.received": "Apelación recibida",
    "appeal_letter.review_type": "Tipo de revisión",
    "appeal_letter.review.expedited": "Apelación acelerada (urgente)",
    "appeal_letter.review.standard": "Apelación estándar",
    "appeal_letter.decision.heading": "Nuestra decisión sobre su apelación",
    "appeal_letter.decision.overturned": "Después de una nueva revisión, aprobamos la solicitud de "
    "{service}, como se indica a continuación.",
    "appeal_letter.decision.partly_overturned": "Después de una nueva revisión, aprobamos una parte de "
    "la solicitud de {service}. Lo aprobado se indica a continuación; el resto sigue denegado por el "
    "motivo que sigue.",
    "appeal_letter.decision.upheld": "Después de una nueva revisión, no cambiamos nuestra decisión "
    "sobre la solicitud de {service}. El motivo se indica a continuación.",
    "appeal_letter.decision": "Decisión sobre la apelación",
    "appeal_letter.approved_from": "Aprobado desde",
    "appeal_letter.approved_through": "Aprobado hasta",
    "appeal_letter.why": "Motivo: {rationale}",
    "appeal_letter.independent": "El médico que decidió esta apelación no participó en nuestra "
    "primera decisión y no depende de nadie que haya participado.",
    "appeal_letter.copies": "Usted o su médico pueden pedirnos una copia gratuita de los criterios "
    "que usamos, de las razones clínicas de esta decisión y de todos los documentos de su apelación. "
    "No tiene costo.",
    "appeal_letter.external.heading": "Su derecho a una revisión externa",
    "appeal_letter.external.approved": "Aprobamos lo que se pidió. Si aún no está de acuerdo con "
    "alguna parte de nuestra decisión:",
    "appeal_letter.external.final": "Esta es nuestra decisión final sobre su apelación interna. Puede "
    "pedir una revisión independiente hecha por médicos que no trabajan para nosotros (una revisión "
    "externa):",
    "appeal_letter.external.urgent": "Esta apelación se revisó como urgente, por lo que puede pedir "
    "una revisión externa acelerada.",
    "appeal_letter.external.where_state": "a la entidad {name}: llame al {phone}, escriba a {mail} o "
    "visite {website}",
    "appeal_letter.external.where_federal": "el proceso federal de revisión externa del Departamento "
    "de Salud y Servicios Humanos de EE. UU. (pídanos el formulario o visite CuidadoDeSalud.gov, "
    "\u201capelar una decisión de la compañía de seguros\u201d)",
    "appeal_letter.external.how": "Cómo pedirla",
    "appeal_letter.external.how_text": "Pídala {where}. Pídala dentro de {window} a partir de la fecha "
    "de esta carta. Usted, su médico o alguien que usted nombre puede pedirla por usted. Es gratuita "
    "y debemos seguir la decisión del revisor.",
    "appeal_letter.external.standard": "Revisión externa estándar",
    "appeal_letter.external.standard_text": "Se decide dentro de {days} días a partir de la solicitud.",
    "appeal_letter.external.expedited": "Revisión externa acelerada (rápida)",
    "appeal_letter.external.expedited_text": "Si esperar podría poner en grave peligro su vida, su "
    "salud o su capacidad de recuperar al máximo sus funciones, pida una revisión externa acelerada, "
    "por teléfono si lo prefiere. Se decide dentro de {hours} horas.",
    "appeal_letter.external.process_state": "el proceso de revisión externa de {state} ({source})",
    "appeal_letter.external.process_federal": "el proceso federal de revisión externa",
    "appeal_letter.external.note": "Estos derechos provienen de la ley federal ({federal}; 45 CFR "
    "147.136(d)) y de {process}.",
    "appeal_letter.help.state": "Para obtener ayuda gratuita con sus derechos o una revisión externa en "
    "{state}, comuníquese con la entidad {name}:",
    "help.heading": "Cómo obtener ayuda",
    "help.questions": "Preguntas sobre esta carta: llame a {contact} y tenga a mano el número de "
    "solicitud {number}.",
    "help.state": "Para obtener ayuda gratuita con sus derechos, una apelación o una revisión externa "
    "en {state}, comuníquese con la entidad {name}:",
    "help.unknown_state": "Para obtener ayuda gratuita con sus derechos, comuníquese con el "
    "departamento de seguros de su estado.",
    "help.phone": "Teléfono",
    "help.website": "Sitio web",
    "help.mail": "Correo postal",
    "language.heading": "Ayuda en su idioma",
    "language.offer": "Tiene a su disposición ayuda gratuita con el idioma. Le ofrecemos un "
    "intérprete que hable su idioma por teléfono (interpretación oral) y podemos enviarle esta carta "
    "en inglés o explicársela en otro idioma, sin costo. Llame al número de Servicios para Miembros "
    "que aparece en su tarjeta de identificación de miembro (TTY: 711).",
    "language.taglines": "La misma oferta en otros idiomas:",
    "nondiscrimination.heading": "Aviso de no discriminación",
    "nondiscrimination.policy": "Cumplimos las leyes federales de derechos civiles. No discriminamos, "
    "no excluimos a las personas ni las tratamos de forma diferente por su raza, color, origen "
    "nacional (incluidos el dominio limitado del inglés y el idioma principal), edad, discapacidad "
    "o sexo.",
    "nondiscrimination.aids": "Ofrecemos, sin costo: cambios razonables en nuestras políticas para "
    "personas con discapacidades; ayudas y servicios para que las personas con discapacidades se "
    "comuniquen con nosotros, como intérpretes calificados de lengua de señas y cartas en letra "
    "grande, audio, braille o formatos electrónicos accesibles; y servicios de idiomas para personas "
    "cuyo idioma principal no es el inglés, como intérpretes calificados e información escrita en "
    "otros idiomas. Para pedirlos, llame al número de Servicios para Miembros que aparece en su "
    "tarjeta de identificación de miembro (TTY: 711).",
    "nondiscrimination.grievance": "Si cree que no le ofrecimos estos servicios o que lo "
    "discriminamos de otra manera, puede presentar una queja ante nuestro Coordinador de Derechos "
    "Civiles (Coordinador de la Sección 1557): llame al número de Servicios para Miembros que "
    "aparece en su tarjeta de identificación de miembro (TTY: 711) o escríbanos. Si necesita ayuda "
    "para presentar una queja, el Coordinador de Derechos Civiles puede ayudarle.",
    "nondiscrimination.ocr": "También puede presentar una queja de derechos civiles ante la Oficina "
    "de Derechos Civiles del Departamento de Salud y Servicios Humanos de los EE. UU.:",
    "nondiscrimination.ocr_online": "En línea",
    "nondiscrimination.ocr_phone": "Teléfono",
    "nondiscrimination.ocr_mail": "Correo postal",
    "nondiscrimination.ocr_forms": "Formularios de queja",
    "outcome.approved": "Aprobada",
    "outcome.partially_approved": "Aprobada en parte",
    "outcome.modified": "Aprobada con cambios",
    "outcome.denied": "Denegada",
    "denial_code.MN01": "La solicitud no cumple los criterios de necesidad médica",
    "denial_code.EI02": "El servicio es experimental o de investigación para esta afección",
    "denial_code.NC03": "El servicio no es un beneficio cubierto por el plan del miembro",
    "denial_code.IN04": "No se proporcionó la información necesaria para decidir",
    "denial_code.SC05": "El centro de tratamiento o el lugar de atención no cumple los criterios",
    "denial_code.DU06": "Las unidades, la dosis o las fechas solicitadas superan lo que apoyan los criterios",
    "urgency.standard": "Estándar",
    "urgency.expedited": "Acelerada",
    "unit.hours": "horas",
    "unit.business_hours": "horas hábiles",
    "unit.calendar_days": "días calendario",
    "unit.business_days": "días hábiles",
    "role.provider_staff": "personal del consultorio del proveedor",
    "role.clinical_reviewer": "revisor clínico (enfermero)",
    "role.physician_reviewer": "médico revisor (director médico)",
    "role.supervisor": "supervisor",
    "role.policy_admin": "administrador de políticas",
    "role.enrollment_admin": "administrador de inscripciones",
    "role.privacy_officer": "responsable de privacidad",
    "state.GA": "Georgia",
    "state.IN": "Indiana",
    "state.OH": "Ohio",
    "state.WV": "Virginia Occidental",
    "x12.A1": "certificada en su totalidad",
    "x12.A2": "certificada en parte",
    "x12.A3": "no certificada",
    "x12.A6": "certificada con cambios",
}
