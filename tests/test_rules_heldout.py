# ruff: noqa: E501
"""Promos worded differently from the packs' own examples, in every pack language.

These phrasings were written apart from the rule packs (verb + object families, glued
fragments, box headings), with prose that mentions the same words and must survive.
"""

from __future__ import annotations

import pytest

import cleaner

CLEANER = cleaner.Cleaner(dedup=False)

P = "The regional council approved the new transport budget on Tuesday after a long debate, officials said."
EN_PROMOS = [
    "READ NEXT: Inside the race to build a better battery",
    "Also see: How the budget affects your commute",
    "Related coverage: Trains cancelled across the north",
    "Recommended: The ten best hiking trails in Wales",
    "Want more stories like this? Sign up for our weekly newsletter.",
    "Subscribe to our daily briefing to get the top stories in your inbox.",
    "Get breaking news alerts delivered straight to your phone.",
    "Join our mailing list for exclusive offers.",
    "Like us on Facebook",
    "Find us on Instagram and TikTok",
    "Follow our live coverage on X",
    "Share this story",
    "Share on WhatsApp",
    "Download our free app",
    "Get the Guardian app",
    "Sign in to keep reading",
    "Become a subscriber today",
    "Already have an account? Log in",
    "Support quality journalism: subscribe from just $1 a week",
    "This article is for subscribers only.",
    "Comments are closed.",
    "View 24 comments",
    "Leave a reply",
    "Watch the full video",
    "Listen to this story",
    "Photo credit: Jane Smith/Reuters",
    "Image: Getty Images",
    "Pictured: Protesters gather outside parliament",
    "Most popular",
    "Trending stories",
    "More from BBC News",
    "Editor's picks",
    "Sponsored",
    "We use cookies to personalise content and ads. By using this site you agree to our cookie policy.",
    "Accept all cookies",
]
EN_GLUED = [
    P + " Don't miss: The five biggest changes for commuters",
    P + " Sign up for our newsletter to get updates every morning.",
    P + " Follow us on Twitter for the latest updates.",
    P + " READ MORE: Council tax set to rise",
    P + " (Photo: John Doe/AP)",
    P + " Click here to download the app.",
    P + " Subscribe now for unlimited access.",
]
EN_PROSE = [
    "Read more carefully, the judge told the jury, and the verdict might have been different.",
    "More than 2,000 people signed up for the newsletter after the launch, the company said in a statement on Friday.",
    "Follow-up tests showed the virus had not spread to other farms in the region.",
    "Readers who subscribe to the paper's print edition will also get access to its archive, the publisher said.",
    "Photographs taken by residents show the river bursting its banks shortly after midnight on Sunday.",
    "The app, which was downloaded more than a million times, was pulled from the store on Monday.",
    "Cookies were handed out to children at the school fair, which raised £3,000 for charity.",
    "Share prices fell sharply after the announcement, wiping billions off the company's value.",
    "Comments by the minister on Monday angered opposition lawmakers, who called for her resignation.",
    "Most read the report as a rebuke of the government's handling of the crisis.",
    "Related research published last year found a similar effect in older patients.",
    "Trending upward since March, prices are now at their highest level in a decade.",
]
OTHER = {
    "de": (
        [
            "Lies auch: Die Bahn erhöht die Preise",
            "Mehr zum Thema",
            "Folgen Sie uns auf Instagram",
            "Jetzt Newsletter abonnieren und nichts verpassen",
            "Foto: picture alliance/dpa",
            "Das könnte dich auch interessieren",
        ],
        [
            "Die Regierung hat am Montag beschlossen, die Steuern zu senken, und die Opposition protestierte."
        ],
    ),
    "fr": (
        [
            "À lire également : la réforme des retraites adoptée",
            "Suivez-nous sur Instagram",
            "Abonnez-vous à notre newsletter quotidienne",
            "Crédit photo : AFP",
            "Les articles les plus lus",
        ],
        [
            "Le gouvernement a annoncé mardi une nouvelle réforme des retraites, contestée par les syndicats."
        ],
    ),
    "es": (
        [
            "Lea también: El Gobierno aprueba los presupuestos",
            "Síguenos en Twitter",
            "Suscríbete a nuestro boletín diario",
            "Foto: EFE",
            "Lo más visto",
        ],
        [
            "El Gobierno aprobó el martes los presupuestos generales tras una larga negociación con sus socios."
        ],
    ),
    "it": (
        [
            "Leggi anche: Il governo approva la manovra",
            "Seguici su Instagram",
            "Iscriviti alla nostra newsletter",
            "Foto: Ansa",
            "Gli articoli più letti",
        ],
        [
            "Il governo ha approvato martedì la manovra dopo una lunga trattativa con i partner della coalizione."
        ],
    ),
    "pt": (
        [
            "Veja também: Governo aprova orçamento",
            "Siga-nos no Facebook",
            "Assine a nossa newsletter",
            "Foto: Agência Brasil",
            "As mais lidas",
        ],
        [
            "O governo aprovou na terça-feira o orçamento depois de uma longa negociação com os aliados."
        ],
    ),
    "nl": (
        [
            "Lees ook: Kabinet presenteert begroting",
            "Volg ons op Instagram",
            "Meld je aan voor de nieuwsbrief",
            "Foto: ANP",
            "Meest gelezen",
        ],
        [
            "Het kabinet heeft dinsdag de begroting gepresenteerd na lange onderhandelingen met de coalitie."
        ],
    ),
    "ru": (
        [
            "Читайте также: Правительство утвердило бюджет",
            "Подписывайтесь на наш Telegram",
            "Фото: РИА Новости",
            "Самое популярное",
        ],
        ["Правительство во вторник утвердило бюджет после долгих переговоров с депутатами."],
    ),
    "uk": (
        [
            "Читайте також: Уряд затвердив бюджет",
            "Стежте за нами в Telegram",
            "Фото: УНІАН",
            "Останні новини",
        ],
        ["Уряд у вівторок затвердив бюджет після довгих переговорів з депутатами."],
    ),
    "pl": (
        [
            "Zobacz też: Rząd przyjął budżet",
            "Obserwuj nas na Instagramie",
            "Zapisz się do naszego newslettera",
            "Fot. PAP",
            "Najczęściej czytane",
        ],
        ["Rząd przyjął we wtorek budżet po długich negocjacjach z koalicjantami."],
    ),
    "tr": (
        [
            "İlgili haber: Hükümet bütçeyi onayladı",
            "Bizi Instagram'dan takip edin",
            "En çok okunanlar",
            "Fotoğraf: AA",
        ],
        ["Hükümet salı günü uzun müzakerelerin ardından bütçeyi onayladı ve meclise gönderdi."],
    ),
    "ar": (
        [
            "اقرأ أيضا: الحكومة تقر الموازنة",
            "تابعونا على إنستغرام",
            "الأكثر قراءة",
            "تصوير: رويترز",
        ],
        ["أقرت الحكومة يوم الثلاثاء الموازنة العامة بعد مفاوضات طويلة مع الكتل النيابية."],
    ),
    "fa": (
        [
            "بیشتر بخوانید: دولت بودجه را تصویب کرد",
            "ما را در اینستاگرام دنبال کنید",
            "پربازدیدترین",
            "عکس: ایرنا",
        ],
        ["دولت روز سه‌شنبه پس از مذاکرات طولانی بودجه را تصویب کرد و به مجلس فرستاد."],
    ),
    "hi": (
        ["यह भी पढ़ें: सरकार ने बजट पास किया", "हमें इंस्टाग्राम पर फॉलो करें", "संबंधित खबरें", "फोटो: एएनआई"],
        ["सरकार ने मंगलवार को लंबी बातचीत के बाद बजट पास कर दिया और इसे संसद भेजा।"],
    ),
    "zh": (
        ["延伸阅读：政府通过预算", "欢迎关注我们的微博", "热门文章", "图片来源：新华社"],
        ["政府周二在长时间谈判后通过了预算，并提交给议会审议。"],
    ),
    "ja": (
        [
            "関連記事：政府が予算案を可決",
            "公式Instagramをフォロー",
            "アクセスランキング",
            "写真：共同通信",
        ],
        ["政府は火曜日、長時間の交渉の末に予算案を可決し、国会に提出した。"],
    ),
    "ko": (
        ["관련 기사: 정부, 예산안 통과", "인기 뉴스", "사진=뉴시스", "카카오톡 채널 추가하기"],
        ["정부는 화요일 긴 협상 끝에 예산안을 통과시켜 국회에 제출했다."],
    ),
}


def _doc(body: str, line: str) -> str:
    return body + "\n" + line + "\n" + body


KNOWN_MISSES = {"Pictured: Protesters gather outside parliament"}  # a caption, not a credit


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(line, marks=pytest.mark.xfail(strict=True)) if line in KNOWN_MISSES else line
        for line in EN_PROMOS + EN_GLUED
    ],
)
def test_english_promo_is_removed(line: str) -> None:
    text = _doc(P, line)
    result = CLEANER.clean(text)
    assert any(r.start >= len(P) for r in result.removals)
    assert result.text.count(P) == text.count(P)  # the content around it is kept


@pytest.mark.parametrize("line", EN_PROSE)
def test_english_prose_with_promo_words_is_kept(line: str) -> None:
    assert CLEANER.clean(_doc(P, line)).removals == ()


CASES = [(lang, line) for lang, (promos, _) in sorted(OTHER.items()) for line in promos]


@pytest.mark.parametrize(("language", "line"), CASES)
def test_promo_in_other_languages_is_removed(language: str, line: str) -> None:
    body = OTHER[language][1][0]
    result = CLEANER.clean(
        _doc(body, line),
    )
    assert result.language == language
    assert [r.text for r in result.removals] == [line]


@pytest.mark.parametrize("language", sorted(OTHER))
def test_prose_in_other_languages_is_kept(language: str) -> None:
    body = OTHER[language][1][0]
    assert CLEANER.clean(_doc(body, body)).removals == ()


# Round two: written blind after round one was fixed; 33 of these 42 were caught before
# the families were widened (keep reading, log in or subscribe, "by email", ad separators).
Q = "Officials confirmed on Wednesday that the bridge would stay closed for at least three more weeks while engineers inspect it."
ROUND_TWO = [
    "Keep reading: The hidden cost of road closures",
    "ALSO READ | Bridge repairs to cost £2m",
    "Read this next: Why bridges fail",
    "You might also like: Ten walks along the river",
    "Further reading: Our guide to the city's bridges",
    "Get our morning newsletter, free to your inbox",
    "Sign up to receive our weekly roundup by email",
    "Never miss a story: subscribe to our alerts",
    "Don't miss out - register for free email updates",
    "Follow the Evening Post on Facebook",
    "Join us on Telegram for breaking news",
    "Connect with us on LinkedIn",
    "Like our page on Facebook",
    "Tap here to download the free app",
    "Get the app",
    "Subscribe for full access",
    "Log in or subscribe to continue reading",
    "To keep reading, become a member",
    "You've reached your free article limit",
    "Show 12 comments",
    "Add a comment",
    "Comments (4)",
    "Watch: Drone footage of the closed bridge",
    "Play video",
    "Photograph by Sam Lee for The Times",
    "Picture credit: PA Wire",
    "(Credit: Getty Images)",
    "Trending now",
    "Most viewed",
    "More stories",
    "Recommended for you",
    "Top stories",
    "Advertisement · Scroll to continue",
    "Sponsored content by Acme",
    "This site uses cookies to give you the best experience.",
    "Manage cookie preferences",
    Q + " Read more: What the closure means for drivers",
    Q + " Sign up to our free newsletter for daily updates.",
    Q + " Follow us on Instagram.",
    Q + " (Photo by Sam Lee/Getty Images)",
    Q + " Get the app for live traffic alerts.",
    Q + " ALSO READ: Ring road works delayed",
]
ROUND_TWO_PROSE = [
    "Keep reading the instructions before you start, the engineer advised.",
    "Sign up numbers for the scheme fell by a third, the council said in its annual report.",
    "Don't miss the last train, officials warned commuters on Tuesday evening.",
    "Subscribers to the council's email alerts were told about the closure a week ago, but many said they never got the message.",
    "Advertisement boards along the bridge will be removed during the repairs.",
    "Sponsored by the regional government, the study took three years to complete.",
]


@pytest.mark.parametrize("line", ROUND_TWO)
def test_round_two_promo_is_removed(line: str) -> None:
    text = _doc(Q, line)
    result = CLEANER.clean(text)
    assert any(r.start >= len(Q) for r in result.removals)
    assert result.text.count(Q) == text.count(Q)


@pytest.mark.parametrize("line", ROUND_TWO_PROSE)
def test_round_two_prose_is_kept(line: str) -> None:
    assert CLEANER.clean(_doc(Q, line)).removals == ()


# Round two in German, French and Spanish, written blind: 26 of 30 were caught before
# "Auch lesenswert", "Empfehlungen der Redaktion", "À lire :" and "Cet article est réservé
# aux abonnés" were added to their families.
ROUND_TWO_OTHER = {
    "de": (
        "Die Stadtverwaltung hat am Mittwoch bestätigt, dass die Brücke noch mindestens drei Wochen gesperrt bleibt, während Ingenieure sie prüfen.",
        [
            "Auch lesenswert: Was die Sperrung für Pendler bedeutet",
            "Mehr dazu: Die Brücke im Überblick",
            "Empfehlungen der Redaktion",
            "Abonnieren Sie jetzt unseren kostenlosen Newsletter",
            "Folgen Sie der Abendzeitung auf Facebook",
            "Artikel teilen",
            "Kommentare anzeigen",
            "Bildquelle: Getty Images",
            "Jetzt weiterlesen mit Abo",
            "Wir nutzen Cookies, um Ihnen das beste Erlebnis zu bieten. Mit der Nutzung stimmen Sie zu.",
        ],
        [
            "Mehr als die Hälfte der Pendler nutzt inzwischen die Umleitung, sagte ein Sprecher der Stadt.",
            "Die Leser des Newsletters wurden bereits vor einer Woche über die Sperrung informiert, viele sagen jedoch, sie hätten die Nachricht nie erhalten.",
        ],
    ),
    "fr": (
        "La mairie a confirmé mercredi que le pont resterait fermé au moins trois semaines de plus pendant que les ingénieurs l'inspectent.",
        [
            "À lire : ce que la fermeture change pour les automobilistes",
            "Voir aussi : Les ponts de la ville",
            "Recevez notre newsletter gratuite chaque matin",
            "Suivez Le Courrier sur Twitter",
            "Partager sur Facebook",
            "Afficher les commentaires",
            "Photo : Getty Images",
            "Cet article est réservé aux abonnés.",
            "Nous utilisons des cookies pour améliorer votre expérience. En continuant, vous acceptez leur utilisation.",
            "Les plus populaires",
        ],
        [
            "Plus de la moitié des automobilistes empruntent désormais la déviation, a indiqué un porte-parole.",
            "Les abonnés à la newsletter de la ville ont été prévenus il y a une semaine, mais beaucoup disent n'avoir jamais reçu le message.",
        ],
    ),
    "es": (
        "El ayuntamiento confirmó el miércoles que el puente seguirá cerrado al menos tres semanas más mientras los ingenieros lo inspeccionan.",
        [
            "Lee además: Lo que supone el cierre para los conductores",
            "Relacionado: Los puentes de la ciudad",
            "Recibe nuestro boletín gratuito cada mañana",
            "Síguenos en Instagram",
            "Compartir en WhatsApp",
            "Ver comentarios",
            "Foto: Getty Images",
            "Este contenido es exclusivo para suscriptores",
            "Utilizamos cookies para mejorar tu experiencia. Si continúas navegando, aceptas su uso.",
            "Lo más leído",
        ],
        [
            "Más de la mitad de los conductores usan ya el desvío, dijo un portavoz municipal.",
            "Los suscriptores del boletín municipal fueron avisados hace una semana, pero muchos dicen que nunca recibieron el mensaje.",
        ],
    ),
}
ROUND_TWO_OTHER_CASES = [
    (lang, line) for lang, (_, promos, _) in sorted(ROUND_TWO_OTHER.items()) for line in promos
]
ROUND_TWO_OTHER_PROSE = [
    (lang, line) for lang, (_, _, prose) in sorted(ROUND_TWO_OTHER.items()) for line in prose
]


@pytest.mark.parametrize(("language", "line"), ROUND_TWO_OTHER_CASES)
def test_round_two_other_languages(language: str, line: str) -> None:
    body = ROUND_TWO_OTHER[language][0]
    result = CLEANER.clean(_doc(body, line))
    assert result.language == language
    assert [r.text for r in result.removals] == [line]


@pytest.mark.parametrize(("language", "line"), ROUND_TWO_OTHER_PROSE)
def test_round_two_other_languages_prose_is_kept(language: str, line: str) -> None:
    body = ROUND_TWO_OTHER[language][0]
    assert CLEANER.clean(_doc(body, line)).removals == ()


# Round three, written blind in eight more languages: 54 of 56 were caught before "Главное
# за день" and three-word Arabic share buttons were added.
ROUND_THREE = {
    "ru": (
        "Власти города в среду подтвердили, что мост останется закрытым еще как минимум три недели, пока инженеры его проверяют.",
        [
            "Читайте также: Что закрытие моста значит для водителей",
            "Подробнее: Все мосты города",
            "Подписывайтесь на наш канал в Telegram",
            "Поделиться в VK",
            "Показать комментарии",
            "Фото: Getty Images",
            "Главное за день",
            "Реклама",
        ],
        ["Более половины водителей уже пользуются объездом, сообщил представитель мэрии."],
    ),
    "pl": (
        "Władze miasta potwierdziły w środę, że most pozostanie zamknięty jeszcze co najmniej trzy tygodnie, a inżynierowie go sprawdzają.",
        [
            "Przeczytaj także: Co zamknięcie mostu oznacza dla kierowców",
            "Zobacz również: Mosty w mieście",
            "Zapisz się na nasz newsletter",
            "Obserwuj nas na Twitterze",
            "Udostępnij na Facebooku",
            "Pokaż komentarze",
            "Fot. Getty Images",
            "Najpopularniejsze artykuły",
        ],
        ["Ponad połowa kierowców korzysta już z objazdu, powiedział rzecznik ratusza."],
    ),
    "tr": (
        "Belediye çarşamba günü köprünün mühendisler incelerken en az üç hafta daha kapalı kalacağını doğruladı ve sürücüleri uyardı.",
        [
            "Ayrıca okuyun: Köprünün kapanması sürücüler için ne anlama geliyor",
            "İlgili haberler",
            "Bizi Twitter'dan takip edin",
            "Yorumları göster",
            "Fotoğraf: Getty Images",
            "Reklam",
        ],
        ["Sürücülerin yarısından fazlası artık alternatif yolu kullanıyor, dedi belediye sözcüsü."],
    ),
    "ja": (
        "市は水曜日、技術者が点検する間、橋は少なくともあと3週間閉鎖されると発表した。",
        [
            "関連記事：橋の閉鎖はドライバーにどう影響するか",
            "あわせて読みたい：市内の橋ガイド",
            "アクセスランキング",
            "公式Xをフォローする",
            "シェアする",
            "写真：ゲッティイメージズ",
            "広告",
        ],
        ["半数以上のドライバーがすでに迂回路を利用していると市の広報担当者は述べた。"],
    ),
    "zh": (
        "市政府周三证实，在工程师检查期间，这座桥将至少再关闭三周。",
        [
            "相关新闻：桥梁关闭对司机意味着什么",
            "延伸阅读：城市桥梁指南",
            "热门推荐",
            "欢迎关注我们的微信公众号",
            "分享到微信",
            "图片来源：视觉中国",
            "广告",
        ],
        ["市政府发言人表示，超过一半的司机已经开始使用绕行道路。"],
    ),
    "ko": (
        "시는 수요일 기술자들이 점검하는 동안 다리가 최소 3주 더 폐쇄된다고 밝혔다.",
        [
            "관련기사: 다리 폐쇄가 운전자에게 의미하는 것",
            "많이 본 뉴스",
            "뉴스레터 구독하기",
            "공유하기",
            "댓글 보기",
            "사진=게티이미지",
            "광고",
        ],
        ["운전자의 절반 이상이 이미 우회로를 이용하고 있다고 시 대변인은 말했다."],
    ),
    "ar": (
        "أكدت البلدية يوم الأربعاء أن الجسر سيبقى مغلقا ثلاثة أسابيع أخرى على الأقل بينما يفحصه المهندسون.",
        [
            "اقرأ أيضاً: ماذا يعني إغلاق الجسر للسائقين",
            "أخبار ذات صلة",
            "تابعونا على تويتر",
            "شارك على فيسبوك",
            "التعليقات",
            "تصوير: غيتي",
            "إعلان",
        ],
        ["قال متحدث باسم البلدية إن أكثر من نصف السائقين يستخدمون الآن الطريق البديل."],
    ),
    "hi": (
        "नगर निगम ने बुधवार को पुष्टि की कि इंजीनियरों की जांच के दौरान पुल कम से कम तीन और हफ्तों तक बंद रहेगा।",
        [
            "यह भी पढ़ें: पुल बंद होने का ड्राइवरों पर क्या असर होगा",
            "संबंधित खबरें",
            "हमें ट्विटर पर फॉलो करें",
            "शेयर करें",
            "फोटो: गेटी इमेजेज",
            "विज्ञापन",
        ],
        ["नगर निगम के प्रवक्ता ने कहा कि आधे से ज्यादा ड्राइवर अब वैकल्पिक रास्ते का इस्तेमाल कर रहे हैं।"],
    ),
}


ROUND_THREE_CASES = [
    (lang, line) for lang, (_, promos, _) in sorted(ROUND_THREE.items()) for line in promos
]


@pytest.mark.parametrize(("language", "line"), ROUND_THREE_CASES)
def test_round_three(language: str, line: str) -> None:
    body = ROUND_THREE[language][0]
    result = CLEANER.clean(_doc(body, line))
    assert result.language == language
    assert [r.text for r in result.removals] == [line]


@pytest.mark.parametrize("language", sorted(ROUND_THREE))
def test_round_three_prose_is_kept(language: str) -> None:
    body, _, prose = ROUND_THREE[language]
    for line in prose:
        assert CLEANER.clean(_doc(body, line)).removals == ()
