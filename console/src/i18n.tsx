// zh_CN by default, en_US switchable. Labels are written Chinese first with English beside.
import { createContext, useContext, useState, type ReactNode } from "react";

export type Lang = "zh" | "en";
const KEY = "firstcall.lang";

const LangContext = createContext<{ lang: Lang; setLang: (l: Lang) => void }>({ lang: "zh", setLang: () => undefined });

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, set] = useState<Lang>(() => (localStorage.getItem(KEY) === "en" ? "en" : "zh"));
  const setLang = (l: Lang) => {
    localStorage.setItem(KEY, l);
    set(l);
  };
  return <LangContext.Provider value={{ lang, setLang }}>{children}</LangContext.Provider>;
}

export function useLang() {
  return useContext(LangContext);
}

/** The label in the chosen language, the other one beside it, smaller. */
export function L({ zh, en }: { zh: string; en: string }) {
  const { lang } = useLang();
  const [first, second] = lang === "zh" ? [zh, en] : [en, zh];
  return (
    <span>
      {first}
      <span className="fc-beside"> {second}</span>
    </span>
  );
}

/** The text alone, for attributes (placeholders, aria-labels, titles). */
export function useT() {
  const { lang } = useLang();
  return (zh: string, en: string) => (lang === "zh" ? zh : en);
}
