/** The one stylesheet of the login, consent, picker and manage pages, served same-origin. */
export const pagesCss = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#f5f7fa;color:#1b1f24}
.card{max-width:32rem;margin:3rem auto;padding:2rem;background:#fff;border:1px solid #d0d7de;border-radius:8px}
.practice{margin:0 0 .5rem;color:#57606a;font-size:.9rem}
h1{font-size:1.4rem;margin:0 0 1rem}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input[type=text],input[type=password],input[type=search]{width:100%;padding:.5rem;border:1px solid #8c959f;border-radius:6px;font:inherit}
.scope{display:flex;gap:.5rem;align-items:flex-start;margin:.4rem 0;font-weight:400}
.scope input{margin-top:.3rem}
.actions{display:flex;gap:.75rem;margin-top:1.5rem}
button{padding:.55rem 1.2rem;border-radius:6px;border:1px solid #1f6feb;background:#1f6feb;color:#fff;font:inherit;cursor:pointer}
button.secondary{background:#fff;color:#1f6feb}
.error{padding:.75rem;border-radius:6px;background:#ffebe9;border:1px solid #ff8182;color:#82071e}
.muted{color:#57606a;font-size:.9rem}
ul.list{list-style:none;padding:0}
ul.list li{display:flex;justify-content:space-between;align-items:center;padding:.5rem 0;border-bottom:1px solid #eaeef2}
code{font-size:.85rem}
`;
