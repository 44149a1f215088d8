# ruff: noqa: RUF001 (CJK and Urdu text is set with its own full-width and Arabic punctuation)
"""Language-assistance taglines, each in its own language, and which languages each state gets.

Two rules ask for them on a determination notice:

- Section 1557 of the ACA, 45 CFR 92.11(b)-(c) (2024 rule; 92.8(d) in the 2016 rule): a notice
  of availability of language assistance services "in English and in at least the 15 languages
  most commonly spoken by individuals with limited English proficiency of the relevant State or
  States", on significant communications such as a denial notice. Nothing bars more languages.
- 45 CFR 147.136(e) (individual-market claims and appeals notices; regulatory.md 1.9): notices
  must be culturally and linguistically appropriate: where 10% or more of a county's population
  is literate only in the same non-English language, a tagline in that language and oral
  language services (interpretation) on request. regulatory.md holds no county figures (CMS
  publishes them yearly), so no county is marked: every member may have the letter in Spanish on
  request (the letter page's language switch) or by their preferred language
  (`Member.preferred_language`).

Which 15 languages: regulatory.md names the rule but gives no per-state list, and no copy of
HHS OCR's "Top 15 languages spoken by individuals with LEP" table (OCR, 2016, from American
Community Survey estimates) was at hand. The lists below are our best reading of that table,
confidence LOW: compliance must check them against OCR's current table before a notice goes
out on paper. The wording follows HHS's sample tagline ("ATTENTION: If you speak [language],
language assistance services, free of charge, are available to you. Call ... (TTY: ...)"), with
the oral interpretation offer made explicit and the plan's number given as the letters give it
elsewhere (the Member Services number on the member's ID card; we hold no verified number),
TTY 711 (the national relay service). Translations: ours, confidence MEDIUM for Spanish,
French, German, Portuguese, Italian, Chinese, Korean, Japanese, Vietnamese, Russian, Arabic;
LOW for the rest: a qualified translator must review them (45 CFR 92.201(c)(3): translations by
a qualified translator, not machine translation alone).

`script` says how the PDF draws the text (see `priorauth/letters/fonts.py`); `rtl` marks the
right-to-left ones so the HTML sets `dir="rtl"`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tagline:
    lang: str  # BCP 47 tag, for the HTML `lang` attribute (WCAG 3.1.2)
    name: str  # the language's name in English, for staff and tests
    script: str  # ISO 15924 code
    text: str
    rtl: bool = False


# A letter in another language points back to English (92.11: the notice "in English and" in
# the state's languages).
ENGLISH_TAGLINE = Tagline(
    "en",
    "English",
    "Latn",
    "ATTENTION: If you speak English, free language assistance services, including an interpreter, "
    "are available to you. Call the Member Services number on your member ID card (TTY: 711).",
)

TAGLINES: dict[str, Tagline] = {
    t.lang: t
    for t in [
        ENGLISH_TAGLINE,
        Tagline(
            "es",
            "Spanish",
            "Latn",
            "ATENCIÓN: si habla español, tiene a su disposición servicios gratuitos de asistencia "
            "lingüística, incluido un intérprete. Llame al número de Servicios para Miembros que "
            "aparece en su tarjeta de identificación de miembro (TTY: 711).",
        ),
        Tagline(
            "zh-Hant",
            "Chinese",
            "Hant",
            "注意：如果您使用繁體中文，您可以免費獲得語言援助服務，包括口譯員。"
            "請撥打您會員卡上的會員服務電話號碼（TTY：711）。",
        ),
        Tagline(
            "vi",
            "Vietnamese",
            "Latn",
            "CHÚ Ý: Nếu bạn nói Tiếng Việt, có các dịch vụ hỗ trợ ngôn ngữ miễn phí dành cho bạn, "
            "kể cả thông dịch viên. Hãy gọi số Dịch vụ Hội viên ghi trên thẻ hội viên của bạn "
            "(TTY: 711).",
        ),
        Tagline(
            "ko",
            "Korean",
            "Kore",
            "주의: 한국어를 사용하시는 경우, 통역을 포함한 언어 지원 서비스를 무료로 이용하실 수 "
            "있습니다. 회원 ID 카드에 있는 회원 서비스 번호로 전화하십시오 (TTY: 711).",
        ),
        Tagline(
            "ar",
            "Arabic",
            "Arab",
            "ملحوظة: إذا كنت تتحدث العربية، فإن خدمات المساعدة اللغوية، بما فيها مترجم فوري، "
            "متوفرة لك مجانًا. اتصل برقم خدمات الأعضاء الموجود على بطاقة عضويتك "
            "(الهاتف النصي: 711).",
            rtl=True,
        ),
        Tagline(
            "fr",
            "French",
            "Latn",
            "ATTENTION : si vous parlez français, des services d'aide linguistique, y compris un "
            "interprète, vous sont proposés gratuitement. Appelez le numéro des Services aux membres "
            "indiqué sur votre carte de membre (ATS : 711).",
        ),
        Tagline(
            "de",
            "German",
            "Latn",
            "ACHTUNG: Wenn Sie Deutsch sprechen, stehen Ihnen kostenlos sprachliche "
            "Hilfsdienstleistungen zur Verfügung, auch ein Dolmetscher. Rufen Sie die Nummer des "
            "Mitgliederservice auf Ihrer Mitgliedskarte an (TTY: 711).",
        ),
        Tagline(
            "pdc",
            "Pennsylvania Dutch",
            "Latn",
            "Wann du Deitsch schwetzscht, kannscht du mitaus Koschte ebber gricke, ass dir helft "
            "mit die englisch Schprooch, aa en Iwwersetzer. Ruf die Member-Services-Nummer uff "
            "dei Member-Kaart aa (TTY: 711).",
        ),
        Tagline(
            "ru",
            "Russian",
            "Cyrl",
            "ВНИМАНИЕ: если вы говорите на русском языке, вам доступны бесплатные услуги "
            "языковой поддержки, в том числе устный переводчик. Позвоните по номеру отдела "
            "обслуживания участников, указанному на вашей карточке участника (телетайп: 711).",
        ),
        Tagline(
            "uk",
            "Ukrainian",
            "Cyrl",
            "УВАГА! Якщо ви розмовляєте українською мовою, ви можете безкоштовно скористатися "
            "послугами мовної підтримки, зокрема усного перекладача. Телефонуйте за номером "
            "служби підтримки учасників, указаним на вашій картці учасника (телетайп: 711).",
        ),
        Tagline(
            "ja",
            "Japanese",
            "Jpan",
            "注意事項：日本語を話される場合、通訳を含む無料の言語支援をご利用いただけます。"
            "会員IDカードに記載の会員サービス番号までお電話ください（TTY：711）。",
        ),
        Tagline(
            "tl",
            "Tagalog",
            "Latn",
            "PAUNAWA: Kung nagsasalita ka ng Tagalog, maaari kang gumamit ng mga serbisyo ng "
            "tulong sa wika, kasama ang tagapagsalin, nang walang bayad. Tumawag sa numero ng "
            "Member Services na nasa iyong member ID card (TTY: 711).",
        ),
        Tagline(
            "pt",
            "Portuguese",
            "Latn",
            "ATENÇÃO: se fala português, encontram-se disponíveis serviços linguísticos gratuitos, "
            "incluindo um intérprete. Ligue para o número dos Serviços aos Membros indicado no seu "
            "cartão de membro (TTY: 711).",
        ),
        Tagline(
            "it",
            "Italian",
            "Latn",
            "ATTENZIONE: se parla italiano, sono disponibili servizi di assistenza linguistica "
            "gratuiti, compreso un interprete. Chiami il numero del Servizio Soci riportato sulla "
            "sua tessera di socio (TTY: 711).",
        ),
        Tagline(
            "ro",
            "Romanian",
            "Latn",
            "ATENȚIE: dacă vorbiți limba română, vă stau la dispoziție servicii de asistență "
            "lingvistică gratuite, inclusiv un interpret. Sunați la numărul Serviciilor pentru "
            "membri de pe cardul dumneavoastră de membru (TTY: 711).",
        ),
        Tagline(
            "so",
            "Somali",
            "Latn",
            "FIIRO GAAR AH: Haddii aad ku hadasho Soomaali, adeegyada caawimada luqadda, oo ay ku "
            "jiraan turjubaan, ayaad si bilaash ah u heli kartaa. Wac lambarka Adeegyada Xubnaha "
            "ee ku qoran kaarka aqoonsiga xubinnimadaada (TTY: 711).",
        ),
        Tagline(
            "nl",
            "Dutch",
            "Latn",
            "AANDACHT: als u Nederlands spreekt, kunt u gratis gebruikmaken van taalkundige "
            "diensten, waaronder een tolk. Bel het nummer van de ledenservice op uw lidmaatschapskaart "
            "(TTY: 711).",
        ),
        Tagline(
            "sr-Latn",
            "Serbo-Croatian",
            "Latn",
            "OBAVJEŠTENJE: ako govorite srpsko-hrvatski, usluge jezičke pomoći, uključujući tumača, "
            "dostupne su vam besplatno. Nazovite broj Službe za članove koji se nalazi na vašoj "
            "članskoj kartici (TTY: 711).",
        ),
        Tagline(
            "hi",
            "Hindi",
            "Deva",
            "ध्यान दें: यदि आप हिंदी बोलते हैं, तो आपके लिए दुभाषिए सहित मुफ्त में भाषा सहायता "
            "सेवाएं उपलब्ध हैं। अपने सदस्य पहचान पत्र पर दिए गए सदस्य सेवा नंबर पर कॉल करें "
            "(TTY: 711)।",
        ),
        Tagline(
            "ne",
            "Nepali",
            "Deva",
            "ध्यान दिनुहोस्: तपाईं नेपाली बोल्नुहुन्छ भने तपाईंका लागि दोभाषेसहित भाषा सहायता "
            "सेवाहरू निःशुल्क उपलब्ध छन्। आफ्नो सदस्य परिचयपत्रमा रहेको सदस्य सेवा नम्बरमा फोन "
            "गर्नुहोस् (TTY: 711)।",
        ),
        Tagline(
            "gu",
            "Gujarati",
            "Gujr",
            "સુચના: જો તમે ગુજરાતી બોલતા હો, તો દુભાષિયા સહિત નિ:શુલ્ક ભાષા સહાય સેવાઓ તમારા "
            "માટે ઉપલબ્ધ છે. તમારા સભ્ય ઓળખ કાર્ડ પરના સભ્ય સેવા નંબર પર ફોન કરો (TTY: 711).",
        ),
        Tagline(
            "pa",
            "Punjabi",
            "Guru",
            "ਧਿਆਨ ਦਿਓ: ਜੇ ਤੁਸੀਂ ਪੰਜਾਬੀ ਬੋਲਦੇ ਹੋ, ਤਾਂ ਦੁਭਾਸ਼ੀਏ ਸਮੇਤ ਭਾਸ਼ਾ ਵਿੱਚ ਸਹਾਇਤਾ ਸੇਵਾ ਤੁਹਾਡੇ ਲਈ "
            "ਮੁਫਤ ਉਪਲਬਧ ਹੈ। ਆਪਣੇ ਮੈਂਬਰ ਆਈਡੀ ਕਾਰਡ ਉੱਤੇ ਦਿੱਤੇ ਮੈਂਬਰ ਸੇਵਾਵਾਂ ਨੰਬਰ ਤੇ ਕਾਲ ਕਰੋ (TTY: 711)।",
        ),
        Tagline(
            "ur",
            "Urdu",
            "Arab",
            "خبردار: اگر آپ اردو بولتے ہیں، تو آپ کو زبان کی مدد کی خدمات، بشمول ترجمان، مفت میں "
            "دستیاب ہیں۔ اپنے ممبر شناختی کارڈ پر درج ممبر سروسز کے نمبر پر کال کریں (TTY: 711)۔",
            rtl=True,
        ),
        Tagline(
            "fa",
            "Persian (Farsi)",
            "Arab",
            "توجه: اگر به زبان فارسی گفتگو می‌کنید، خدمات زبانی، از جمله مترجم شفاهی، به صورت "
            "رایگان برای شما فراهم است. با شماره خدمات اعضا که روی کارت عضویت شما درج شده است "
            "تماس بگیرید (TTY: 711).",
            rtl=True,
        ),
        Tagline(
            "am",
            "Amharic",
            "Ethi",
            "ማስታወሻ: የሚናገሩት ቋንቋ አማርኛ ከሆነ፣ አስተርጓሚን ጨምሮ የትርጉም እርዳታ አገልግሎቶች በነጻ "
            "ይቀርቡልዎታል። በአባልነት መታወቂያ ካርድዎ ላይ ወዳለው የአባላት አገልግሎት ቁጥር ይደውሉ (TTY: 711)።",
        ),
        Tagline(
            "my",
            "Burmese",
            "Mymr",
            "သတိပြုရန် - အကယ်၍ သင်သည် မြန်မာစကား ကို ပြောပါက၊ စကားပြန် အပါအဝင် ဘာသာစကား "
            "အကူအညီကို အခမဲ့ ရရှိနိုင်ပါသည်။ သင့်အဖွဲ့ဝင်ကတ်ပေါ်ရှိ အဖွဲ့ဝင်ဝန်ဆောင်မှု ဖုန်းနံပါတ်ကို "
            "ခေါ်ဆိုပါ (TTY: 711)။",
        ),
        Tagline(
            "th",
            "Thai",
            "Thai",
            "เรียน: ถ้าคุณพูดภาษาไทย คุณสามารถใช้บริการช่วยเหลือทางภาษา รวมถึงล่าม ได้ฟรี "
            "โทรหมายเลขบริการสมาชิกที่อยู่บนบัตรสมาชิกของคุณ (TTY: 711)",
        ),
    ]
}

# The 15 languages per plan state, most speakers with limited English proficiency first
# (our reading of OCR's 2016 table; confidence LOW, see the module docstring).
STATE_LANGUAGES: dict[str, tuple[str, ...]] = {
    "GA": ("es", "vi", "ko", "zh-Hant", "gu", "fr", "hi", "am", "pt", "ru", "ar", "ja", "de", "ur", "fa"),
    "IN": (
        *("es", "zh-Hant", "my", "pdc", "de", "ar", "vi", "ko"),
        *("ja", "fr", "ru", "tl", "pa", "sr-Latn", "nl"),
    ),
    "OH": ("es", "zh-Hant", "ar", "de", "pdc", "so", "ne", "vi", "ru", "fr", "ja", "ko", "ro", "uk", "it"),
    "WV": ("es", "zh-Hant", "ar", "vi", "de", "fr", "ko", "ja", "tl", "ru", "it", "th", "hi", "fa", "pt"),
}


def taglines_for(state: str) -> tuple[Tagline, ...]:
    """Return the taglines a notice for a plan in this state carries, in the state's order.

    A state we hold no list for (or none given: a letter that does not say its state) gets every
    tagline we have, the languages of all four plan states: more languages are always allowed
    (OCR's FAQ on 92.8(d)), fewer are not.
    """
    codes = STATE_LANGUAGES.get(state)
    if codes is None:
        codes = tuple(dict.fromkeys(code for langs in STATE_LANGUAGES.values() for code in langs))
    return tuple(TAGLINES[code] for code in codes)
