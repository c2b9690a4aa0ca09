"""The announcements part of `flask demo load`: the ministry's news in several languages, for
everyone, for countries and for councils, in every state a staff member meets."""

from datetime import timedelta

from sqlalchemy import delete

from portal.announcements import services
from portal.announcements.models import Announcement, Audience
from portal.auth.models import User
from portal.councils.models import Council
from portal.database import utcnow
from portal.extensions import db

PASSPORTS = {
    "ar": ("تجديد جوازات السفر والبطاقة الوطنية عبر السفارات",
           "يمكن للعراقيين في الخارج تجديد **جواز السفر** وإصدار **البطاقة الوطنية الموحدة** "
           "في السفارات والقنصليات العراقية.\n\n"
           "- احجز موعدك مسبقاً\n- أحضر هويتك القديمة وصورة القيد\n\n"
           "التفاصيل على [موقع وزارة الخارجية](https://www.mofa.gov.iq)."),
    "ckb": ("نوێکردنەوەی پاسپۆرت و کارتی نیشتمانی لە باڵیۆزخانەکان",
            "عێراقییەکانی دەرەوە دەتوانن **پاسپۆرت** نوێ بکەنەوە و **کارتی نیشتمانی** "
            "وەربگرن لە باڵیۆزخانە و کونسوڵخانەکانی عێراق.\n\n"
            "- پێشتر کات دیاری بکە\n- ناسنامە کۆنەکەت لەگەڵ خۆت بهێنە"),
    "ku": ("Nûkirina pasaport û karta neteweyî li balyozxaneyan",
           "Iraqiyên li derveyî welat dikarin **pasaporta** xwe nû bikin û **karta neteweyî** "
           "li balyozxane û konsolxaneyên Iraqê bistînin.\n\n"
           "- Berê ji bo xwe wext bigirin\n- Nasnameya xwe ya kevn bi xwe re bînin"),
    "en": ("Renewing passports and the national ID card at the embassies",
           "Iraqis abroad can renew their **passport** and obtain the **unified national ID "
           "card** at Iraq's embassies and consulates.\n\n"
           "- Book an appointment first\n- Bring your old ID and your civil registry record\n\n"
           "Details on the [Ministry of Foreign Affairs' site](https://www.mofa.gov.iq)."),
}
ISTANBUL_VISIT = {
    "ar": ("زيارة قنصلية متنقلة إلى إسطنبول",
           "يزور فريق من القنصلية العامة في إسطنبول مقر المجلس يومي **السبت والأحد** لاستلام "
           "طلبات الوثائق. يرجى إحضار الوثائق الأصلية."),
    "tr": ("İstanbul'a gezici konsolosluk ziyareti",
           "Başkonsolosluktan bir ekip **cumartesi ve pazar** günleri belge başvurularını almak "
           "için konsey merkezini ziyaret edecek. Lütfen belgelerin asıllarını getirin."),
    "en": ("A mobile consular visit to Istanbul",
           "A team from the Consulate General visits the council's centre on **Saturday and "
           "Sunday** to take applications for documents. Please bring the originals."),
}
RETURN_SESSIONS = {
    "ar": ("جلسات تعريفية ببرنامج العودة الطوعية وإعادة الإدماج",
           "تنظم الوزارة مع المنظمة الدولية للهجرة جلسات عبر الإنترنت حول **منحة العودة** "
           "وخدمات إعادة الإدماج في المحافظات.\n\n> التسجيل مجاني ويغلق قبل أسبوع من الجلسة."),
    "de": ("Infoabende zum Programm für freiwillige Rückkehr und Reintegration",
           "Das Ministerium lädt gemeinsam mit der IOM zu Online-Infoabenden über die "
           "**Rückkehrhilfe** und die Reintegrationsangebote in den Gouvernements ein."),
    "sv": ("Informationsmöten om programmet för frivilligt återvändande",
           "Ministeriet och IOM håller informationsmöten på nätet om **återvändandebidraget** "
           "och stödet för återintegrering i provinserna."),
    "en": ("Information sessions on voluntary return and reintegration",
           "The ministry and IOM hold online sessions on the **return grant** and the "
           "reintegration services in the governorates.\n\n"
           "> Registration is free and closes a week before each session."),
}
NEEDS_REMINDER = {
    "fa": ("یادآوری: گزارش نیازهای شورا",
           "رهبران شوراهای تهران و قم، لطفاً گزارش نیازهای این فصل را پیش از پایان مهلت "
           "ارسال کنید."),
    "ar": ("تذكير: تقرير احتياجات المجلس",
           "نرجو من قادة مجلسي طهران وقم إرسال تقرير احتياجات هذا الفصل قبل انتهاء المهلة."),
    "ckb": ("بیرخستنەوە: ڕاپۆرتی پێداویستییەکانی ئەنجومەن",
            "تکایە سەرکردەکانی ئەنجومەنەکانی تاران و قوم ڕاپۆرتی پێداویستییەکانی ئەم وەرزە "
            "پێش کۆتایی ماوەکە بنێرن."),
}
HOLIDAY = {
    "ar": ("عطلة رسمية: إغلاق الدوائر القنصلية",
           "تغلق الدوائر القنصلية أبوابها يوم العطلة الرسمية وتستأنف العمل في اليوم التالي."),
    "en": ("Public holiday: consular offices closed",
           "Consular offices close on the public holiday and open again the next day."),
}

# Every text above, by language: the benchmark's announcements draw from them.
SAMPLE_TEXTS = {
    locale: [texts[locale] for texts in (PASSPORTS, ISTANBUL_VISIT, RETURN_SESSIONS,
                                         NEEDS_REMINDER, HOLIDAY) if locale in texts]
    for locale in ("ar", "ckb", "ku", "en", "tr", "fa", "de", "sv")}


def load_announcements_demo(councils: list[Council], staff: User) -> None:
    """Published, scheduled, expired, draft and archived announcements. Mail is owed only for
    the newest, so that `make run`'s worker shows one fan-out, not the demo's whole history."""
    by_slug = {council.slug: council for council in councils}
    now = utcnow()
    rows = [
        (PASSPORTS, "ar", Audience.ALL, [], [], True, now - timedelta(days=20), None),
        (RETURN_SESSIONS, "en", Audience.COUNTRIES, ["DE", "SE", "NL", "GB"], [], False,
         now - timedelta(days=6), now + timedelta(days=40)),
        (NEEDS_REMINDER, "fa", Audience.COUNCILS, [],
         [by_slug["ir-tehran"], by_slug["ir-qom"]], False, now - timedelta(days=3), None),
        (ISTANBUL_VISIT, "ar", Audience.COUNTRIES, ["TR"], [], False, now - timedelta(hours=2),
         now + timedelta(days=10)),
        (HOLIDAY, "ar", Audience.ALL, [], [], False, now + timedelta(days=5), None),
        (HOLIDAY, "en", Audience.ALL, [], [], False, now - timedelta(days=60),
         now - timedelta(days=50)),
        (ISTANBUL_VISIT, "tr", Audience.COUNTRIES, ["TR"], [], False, now - timedelta(days=40),
         None),
    ]
    made = [_publish(staff, *row) for row in rows]
    for announcement in (*made[:3], made[-1]):
        announcement.fanout_pending = False
    services.archive(made[-1], staff)  # withdrawn
    services.save_draft(None, services.Draft(texts={"en": HOLIDAY["en"]}, default_locale="en"),
                        staff)


def _publish(staff: User, texts: dict, default: str, audience: Audience, countries: list,
             councils: list, pinned: bool, publish_at, expires_at) -> Announcement:
    return services.publish(None, services.Draft(
        texts=texts, default_locale=default, audience=audience, countries=countries,
        councils=councils, pinned=pinned, publish_at=publish_at, expires_at=expires_at), staff)


def remove_demo_announcements(demo_account_ids: list[int]) -> None:
    """`flask demo remove`: the demo's announcements must not stay in the ministry's voice."""
    db.session.execute(delete(Announcement).where(
        Announcement.created_by_id.in_(demo_account_ids)))
