"""Turkish memos, all three classes. Slots are `tr_*` pools."""

from __future__ import annotations

POOLS: dict[str, list[str]] = {
    "tr_who": ["ahmet", "muhasebe", "tasarımcı", "ev sahibi", "ekip", "ayşe"],
    "tr_month": ["ocak", "mart", "mayıs", "temmuz", "eylül", "kasım", "aralık"],
    "tr_service": ["web sitesi", "çeviri", "danışmanlık", "tamir", "fotoğraf çekimi"],
    "tr_goods": ["ikinci el bisiklet", "laptop", "konser bileti", "kahve", "koltuk"],
    "tr_drug": ["esrar", "kokain", "eroin", "bonzai", "hap", "ot", "metamfetamin"],
    "tr_weapon": ["ruhsatsız tabanca", "mermi", "kalaşnikof", "pompalı"],
    "tr_platform": ["yatırım platformu", "borsa", "trade uygulaması", "kriptomax"],
    "tr_reward": ["airdrop", "ödül", "bonus", "hediye token"],
}

LEGAL: dict[str, list[str]] = {
    "lang_tr": [
        "{tr_month} maaşı",
        "{tr_who} için {tr_service} ödemesi",
        "{tr_month} kirası",
        "{tr_goods} alımı",
        "fatura {n}, teşekkürler",
        "sipariş {n} iadesi",
        "depozito iadesi",
        "hayvan barınağına bağış",
        "akşam yemeğindeki payım",
        "kendi borsa hesabıma yatırma",
        "sigorta tazminatı",
        "iş seyahati harcırahı",
        "deneme transferi",
        "reçeteli ilaç, eczane",
        "akıllı sözleşme güvenlik denetimi",
        "stabil coine çevirme",
        "soğuk cüzdana aktarım",
        "{tr_who} için doğum günü hediyesi",
    ],
}

FRAUD: dict[str, list[str]] = {
    "lang_tr": [
        "destek ekibi fonları güvenli cüzdana taşımamı istedi",
        "cüzdanınızı doğrulayın yoksa hesap askıya alınacak",
        "{tr_reward} kazandınız, almak için onaylayın",
        "{tr_platform} çekim için kilit açma ücreti istiyor",
        "vergi teminatı ödemeden {tr_platform} bakiyemi vermiyor",
        "internetten tanıştığım sevgilim uçak bileti için para istiyor",
        "telegramdaki mentorum {tr_platform} hesabına daha fazla yatırmamı söyledi",
        "kayıp kriptomu geri getirecek firmaya peşin ücret",
        "1 eth gönder 2 eth al",
        "aylık yüzde 30 garanti kazanç",
        "aşkım hediyenin gümrük vergisini ödemem gerektiğini söyledi",
        "acil güvenlik güncellemesi, yeni sözleşmeyi onaylayın",
    ],
}

ILLICIT: dict[str, list[str]] = {
    "lang_tr": [
        "{tr_drug} parası",
        "iki gram {tr_drug}, her zamanki yer",
        "{tr_weapon}, soru sorulmadan",
        "çalıntı kredi kartı bilgileri alımı",
        "sahte pasaport, benim fotoğrafımla",
        "parayı bildirim sınırının altında parçalara bölerek akla",
        "izlenmesin diye mikserden geçir",
        "dosyaların şifresini çözmek için fidye",
        "müfettişe rüşvet",
        "rakibin sitesini ddos ile çökert",
        "fildişi ve gergedan boynuzu, konteynerde saklı",
        "tarım aleti diye faturala, asıl alıcı suriyede",
        "hafta sonu için {tr_drug} lazım",
    ],
}
